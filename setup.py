# The C core is built here (cffi out-of-line API mode); all other metadata is in pyproject.toml.
from setuptools import find_packages, setup

setup(
    # Every package under pandc/ (a new one is never left out of a non-editable install),
    # the data files (pandc.data) and the top-level schemas/ installed as pandc.schemas.
    packages=find_packages(include=["pandc", "pandc.*"]) + ["pandc.data", "pandc.schemas"],
    package_dir={"pandc.schemas": "schemas"},
    package_data={"pandc": ["py.typed"], "pandc.data": ["*.csv", "*.toml"],
                  "pandc.schemas": ["*.xsd"]},
    cffi_modules=["csrc/build_ffi.py:ffibuilder"],
    zip_safe=False,
)
