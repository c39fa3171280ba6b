// Drives Pool's lease flow from Node.js: create a lease, read it, extend it, release it.
//
//   POOL_API_KEY=pool_… node lease-flow.mjs [idempotency-key] [--show-errors]
//
// Environment: POOL_ADDRESS (default 127.0.0.1:7400; "http://" is accepted), POOL_API_KEY (required),
// POOL_SERVICE (default "telegram"), POOL_POOL (optional: lease from this pool only).
// Prints one JSON line per step; on a gRPC error, prints the error as a JSON line and exits with 1.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import googleProtoFiles from 'google-proto-files';

// 1. Load the contract straight from the .proto files: no code generation step is needed.
//    Fields become camelCase (lease_id -> leaseId); enums come back as their names
//    ("LEASE_STATE_ACTIVE"); 64-bit integers (Timestamp.seconds) as strings.
//    proto-loader ships google/protobuf/*.proto, so the Timestamp and Duration imports resolve by themselves;
//    google/api/annotations.proto (the HTTP/JSON paths of each call) comes from the google-proto-files package.
const protos = fileURLToPath(new URL('../../src/Api/Protos', import.meta.url));
const definition = protoLoader.loadSync('pool/v1/leases.proto', {
  includeDirs: [protos, googleProtoFiles.getProtoPath('..')],
  keepCase: false,
  enums: String,
  longs: String,
  defaults: true,
});
const poolV1 = grpc.loadPackageDefinition(definition).pool.v1;

// 2. Connect. Pool's API speaks gRPC over cleartext HTTP/2 (put TLS in front of it in production).
const address = (process.env.POOL_ADDRESS || '127.0.0.1:7400').replace(/^https?:\/\//, '');
const leases = new poolV1.Leases(address, grpc.credentials.createInsecure());

// 3. Every call carries the API key. grpc-js refuses call credentials on an insecure channel,
//    so the key goes into a Metadata object passed with each call instead.
const apiKey = process.env.POOL_API_KEY;
if (!apiKey) {
  console.error('lease-flow: set POOL_API_KEY (with scripts/run.sh: POOL_API_KEY=$(cat ../../.data/admin.key))');
  process.exit(2);
}
const metadata = new grpc.Metadata();
metadata.set('authorization', `Bearer ${apiKey}`);

// Calls one method and returns a promise of its answer; every call gets a 10-second deadline.
function call(method, request) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    leases[method](request, metadata, { deadline }, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

// Timestamps arrive as { seconds: "1700000000", nanos: 123000000 }; print them as RFC 3339 text.
function timestamp(t) {
  if (!t) return null;
  const whole = new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(t.nanos).padStart(9, '0')}Z`;
}

function printLease(step, lease) {
  const { createTime, expireTime, endTime, ...rest } = lease;
  const readable = { ...rest, createTime: timestamp(createTime), expireTime: timestamp(expireTime), endTime: timestamp(endTime) };
  console.log(JSON.stringify({ step, lease: readable }));
}

// A failed call rejects with an Error carrying code (a number), details (the server's message)
// and metadata (the response trailers).
function describe(error) {
  const described = { code: error.code, name: grpc.status[error.code] ?? 'UNKNOWN', details: error.details ?? error.message };
  // INVALID_ARGUMENT also carries a google.rpc.Status in the "grpc-status-details-bin" trailer
  // whose details hold a google.rpc.BadRequest naming every bad field.
  const [status] = error.metadata?.get('grpc-status-details-bin') ?? [];
  const violations = status ? fieldViolations(status) : [];
  if (violations.length > 0) described.fieldViolations = violations;
  return described;
}

// Runs one step; on failure prints the error line, sets exit code 1 and returns undefined.
async function step(name, method, request) {
  try {
    const lease = await call(method, request);
    printLease(name, lease);
    return lease;
  } catch (error) {
    console.log(JSON.stringify({ step: name, error: describe(error) }));
    process.exitCode = 1;
    return undefined;
  }
}

// 4. The flow a tenant's backend runs for each verification.
const args = process.argv.slice(2);
const idempotencyKey = args.find((a) => !a.startsWith('--')) ?? `node-${randomUUID()}`;
try {
  const created = await step('create', 'CreateLease', {
    country: 'HK',
    service: process.env.POOL_SERVICE || 'telegram',
    pool: process.env.POOL_POOL || '', // empty: any pool of the country
    idempotencyKey, // a retry with the same key returns the same lease instead of a second one
  });
  const leaseId = created?.leaseId;
  const read = leaseId && (await step('get', 'GetLease', { leaseId }));
  const extended = read && (await step('extend', 'ExtendLease', { leaseId, extendBy: { seconds: 5 * 60 } }));
  if (extended) await step('release', 'ReleaseLease', { leaseId, outcome: 'LEASE_OUTCOME_COMPLETED' });

  // 5. What a refused request looks like: "XX" is not a country.
  if (args.includes('--show-errors')) {
    try {
      await call('CreateLease', { country: 'XX', service: 'telegram' });
      console.log(JSON.stringify({ step: 'invalid-create', error: null }));
      process.exitCode = 1; // the server was expected to refuse it
    } catch (error) {
      console.log(JSON.stringify({ step: 'invalid-create', error: describe(error) }));
      if (error.code !== grpc.status.INVALID_ARGUMENT) process.exitCode = 1;
    }
  }
} finally {
  leases.close();
}

// Decoding the error details without extra packages: a tiny reader of the protobuf wire format,
// enough for google.rpc.Status { repeated Any details = 3 } -> Any { string type_url = 1; bytes value = 2 }
// -> BadRequest { repeated FieldViolation field_violations = 1 } -> { string field = 1; string description = 2 }.
function fieldViolations(statusBytes) {
  const violations = [];
  for (const any of fields(statusBytes).filter((f) => f.number === 3)) {
    const parts = fields(any.bytes);
    const typeUrl = parts.find((f) => f.number === 1)?.bytes.toString();
    const value = parts.find((f) => f.number === 2)?.bytes;
    if (!typeUrl?.endsWith('/google.rpc.BadRequest') || !value) continue;
    for (const v of fields(value).filter((f) => f.number === 1)) {
      const fv = fields(v.bytes);
      violations.push({
        field: fv.find((f) => f.number === 1)?.bytes.toString() ?? '',
        description: fv.find((f) => f.number === 2)?.bytes.toString() ?? '',
      });
    }
  }
  return violations;
}

// Splits a message into its fields: varints (wire type 0) are skipped, length-delimited ones (2) kept.
function fields(buffer) {
  const out = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = buffer[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < buffer.length) {
    const tag = varint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (wireType === 0) varint();
    else if (wireType === 2) {
      const length = varint();
      out.push({ number, bytes: buffer.subarray(at, at + length) });
      at += length;
    } else break; // Status and BadRequest use no other wire types
  }
  return out;
}
