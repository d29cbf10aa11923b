// Throughput driver for the peer parser @smartdcc/gbcs-parser (SmartDCCInnovation/gbcs-parser),
// used by benchmarks/bench_peer.py to measure pandc against it side by side. The peer itself is
// never part of pandc: PANDC_PEER_GBCS_PARSER names a built copy of it (the folder whose
// dist/index.js exports parseGbcsMessage).
//
// node gbcs_parser_driver.mjs LIST KEYSTORE_DIR ROUNDS [--part I/N] [--report FILE] [--acb EUI] [--warmup K]
//
// LIST: one hex message file per line. Every message is parsed with the peer's main entry,
// parseGbcsMessage(hexText, keyStore[, acbEui]); one untimed warm-up round first (fills the
// key cache and lets V8 optimise; --warmup K: K untimed rounds), then ROUNDS timed rounds. --part I/N takes the I-th of N
// contiguous slices of the list (for running several processes side by side).
// Prints one JSON line: messages, rounds, seconds, messages_per_second and per-message
// outcome counts (threw, mac valid/invalid/unknown, signature true/false, decrypted parts).
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import path from 'node:path'

const require = createRequire(import.meta.url)
const peerDir = process.env.PANDC_PEER_GBCS_PARSER
if (!peerDir) throw new Error('PANDC_PEER_GBCS_PARSER is not set (a built @smartdcc/gbcs-parser)')
const peer = require(path.resolve(peerDir, 'dist', 'index.js'))

const args = process.argv.slice(2)
const positional = []
const options = {}
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) options[args[i].slice(2)] = args[++i]
  else positional.push(args[i])
}
const [listFile, keyDir, roundsText] = positional
const rounds = Number(roundsText ?? 5)

let files = readFileSync(listFile, 'utf8').split('\n').filter((l) => l.trim())
if (options.part) {
  const [i, n] = options.part.split('/').map(Number)
  const size = Math.ceil(files.length / n)
  files = files.slice((i - 1) * size, i * size)
}
const texts = files.map((f) => readFileSync(f, 'utf8').trim())

// The peer's KeyStore callback: (eui, 'KA'|'DS', {privateKey?, prePayment?}) -> KeyObject.
// Files as in the peer's own test keystore: {eui}[-pp]-{ka|ds}.pem (certificate or public
// key) and .key (private key). A missing public key file falls back to the public half of the
// private key. Key objects are cached (as the peer's test keystore does); a missing key throws.
const cache = new Map()
let lookups = 0
async function keyStore(eui, type, opts = {}) {
  lookups++
  if (typeof eui === 'object') eui = Buffer.from(eui).toString('hex')
  eui = eui.replaceAll('-', '').replaceAll(' ', '').toLowerCase()
  const privateKey = opts.privateKey ?? false
  const prePayment = opts.prePayment ?? false
  const cacheKey = `${eui}/${type}/${privateKey}/${prePayment}`
  const hit = cache.get(cacheKey)
  if (hit) return hit
  const base = path.join(keyDir, `${eui}${prePayment ? '-pp' : ''}-${type.toLowerCase()}`)
  let key
  if (privateKey) {
    if (!existsSync(`${base}.key`)) throw new Error(`no private key ${base}.key`)
    key = createPrivateKey(readFileSync(`${base}.key`, 'utf8'))
  } else if (existsSync(`${base}.pem`)) {
    key = createPublicKey(readFileSync(`${base}.pem`, 'utf8'))
  } else if (existsSync(`${base}.key`)) {
    key = createPublicKey(createPrivateKey(readFileSync(`${base}.key`, 'utf8')))
  } else {
    throw new Error(`no public key ${base}.pem`)
  }
  cache.set(cacheKey, key)
  return key
}

function outcome(parsed) {
  const mac = parsed['MAC']?.children?.['MAC']?.notes ?? null
  const sig = parsed['Signature']?.children?.['Valid']?.notes ?? null
  const decrypted = Object.keys(parsed).filter((k) => k.startsWith('Decrypted Payload')).length
  return { mac, signature: sig, decrypted }
}

async function round(record) {
  const results = record ? [] : null
  for (let i = 0; i < texts.length; i++) {
    try {
      const parsed = await peer.parseGbcsMessage(texts[i], keyStore, options.acb)
      if (record) results.push({ file: files[i], ok: true, ...outcome(parsed) })
    } catch (error) {
      if (record) results.push({ file: files[i], ok: false, error: String(error?.message ?? error) })
    }
  }
  return results
}

const warm = await round(true)
for (let w = 1; w < Number(options.warmup ?? 1); w++) await round(false)
const roundSeconds = []
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint()
  await round(false)
  roundSeconds.push(Number(process.hrtime.bigint() - t0) / 1e9)
}
const seconds = roundSeconds.reduce((a, b) => a + b, 0)

const count = (pred) => warm.filter(pred).length
const summary = {
  messages: texts.length,
  rounds,
  seconds,
  messages_per_second: (texts.length * rounds) / seconds,
  messages_per_second_best_round: texts.length / Math.min(...roundSeconds),
  threw: count((r) => !r.ok),
  parsed: count((r) => r.ok),
  mac_valid: count((r) => r.mac === 'valid'),
  mac_invalid: count((r) => r.mac === 'invalid'),
  mac_unknown: count((r) => r.ok && r.mac !== null && r.mac !== 'valid' && r.mac !== 'invalid'),
  no_mac: count((r) => r.ok && r.mac === null),
  signature_true: count((r) => r.signature === 'true'),
  signature_false: count((r) => r.signature === 'false'),
  no_signature: count((r) => r.ok && r.signature === null),
  with_decrypted_payload: count((r) => r.decrypted > 0),
  distinct_keys_loaded: cache.size,
}
if (options.report) writeFileSync(options.report, JSON.stringify(warm, null, 1))
console.log(JSON.stringify(summary))
