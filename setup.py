# The C core is built here (cffi out-of-line API mode); all other metadata is in pyproject.toml.
from setuptools import setup

setup(
    packages=["pandc", "pandc.codec", "pandc.data", "pandc.io", "pandc.mmc", "pandc.security",
              "pandc.correlate",
              "pandc.usecases", "pandc.schemas"],
    package_dir={"pandc.schemas": "schemas"},
    package_data={"pandc": ["py.typed"], "pandc.data": ["*.csv"], "pandc.schemas": ["*.xsd"]},
    cffi_modules=["csrc/build_ffi.py:ffibuilder"],
    zip_safe=False,
)
