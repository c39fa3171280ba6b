'use strict';
// An SMSC built on the npm "smpp" package, for Pool.Carriers.Tests' interoperability tests.
// It listens on an ephemeral port and prints "LISTENING <port>". For each bound transceiver it
// answers submit_sm with a hex message id and prints "SUBMIT <id> <destination> <text as JSON>";
// then it sends a delivery receipt (its text writes the id in decimal; the TLVs keep the hex form),
// a UCS-2 MO and a two-part concatenated MO (UDH), printing "DELIVER_SM_RESP <status>" for each answer.
//
// On stdin it takes "SEND <case>": it sends the PDUs of that case (see `cases` below) to the last
// bound session one after the other, each once the previous one was answered, printing
// "RESP <case> <response command> <status as 0x%08X>" per answer and "SENT <case>" at the end
// ("NO_CASE <case>" or "NOT_BOUND <case>" instead when it cannot). Every PDU is encoded by the
// package itself; a malformed case alters the bytes the package wrote.
const readline = require('readline');
const smpp = require('smpp');

const systemId = process.env.SMSC_SYSTEM_ID || 'pool';
const password = process.env.SMSC_PASSWORD || 'secret';
let nextId = 0x2a00;
let boundSession = null;

function report(line) {
  process.stdout.write(line + '\n');
}

function hex(status) {
  return '0x' + status.toString(16).toUpperCase().padStart(8, '0');
}

function deliver(session, pdu) {
  return new Promise((resolve) => {
    session.deliver_sm(pdu, (resp) => {
      report(`DELIVER_SM_RESP ${resp.command_status}`);
      resolve(resp);
    });
  });
}

async function sendReceiptAndMo(session, submit, id) {
  const now = '2611231200';
  await deliver(session, {
    source_addr: submit.destination_addr,
    destination_addr: submit.source_addr,
    esm_class: 0x04,
    data_coding: 0x00,
    short_message: `id:${parseInt(id, 16)} sub:001 dlvrd:001 submit date:${now} done date:${now} stat:DELIVRD err:000 text:`,
    receipted_message_id: id,
    message_state: 2,
  });
  await deliver(session, {
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '8613800138000',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: submit.destination_addr,
    data_coding: 0x08,
    short_message: '您的验证码是 482913，请勿泄露',
  });
  const reference = 0x5c;
  const parts = ['Your Pool verification code is 482913. ', 'It expires in ten minutes.'];
  for (let i = 0; i < parts.length; i++) {
    await deliver(session, {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '447911123456',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: submit.destination_addr,
      esm_class: 0x40,
      data_coding: 0x00,
      short_message: { udh: Buffer.from([0x05, 0x00, 0x03, reference, parts.length, i + 1]), message: parts[i] },
    });
  }
}

// ---- Cases sent on command ------------------------------------------------------------------

// An MO from an international sender to Pool's number 85251234567 (TON 1 / NPI 1), with `fields` on top.
function mo(fields) {
  return {
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '447911123456',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: '85251234567',
    ...fields,
  };
}

// A status report from the handset's number back to the sender id Pool submitted from.
function statusReport(esmClass, fields) {
  return {
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '85251234567',
    dest_addr_ton: 5,
    dest_addr_npi: 0,
    destination_addr: 'PoolOTP',
    esm_class: esmClass,
    ...fields,
  };
}

function receiptText(id, stat, dlvrd) {
  return `id:${id} sub:001 dlvrd:${dlvrd} submit date:2612010000 done date:2612010001 stat:${stat} err:000 text:`;
}

// GSM 7-bit, one septet per octet, by the package's own GSM 03.38 coder (0 the default alphabet,
// 1 the package's Turkish table, which is TS 23.038's Turkish locking shift table).
function gsm(text, language) {
  return smpp.gsmCoder.encode(text, language || 0);
}

// GSM 7-bit with TS 23.038's Turkish single shift table for the letters the default alphabet lacks
// (the package's own Turkish coder writes the locking shift table instead).
const turkishSingleShift = { 'Ğ': 0x47, 'İ': 0x49, 'Ş': 0x53, 'ç': 0x63, 'ğ': 0x67, 'ı': 0x69, 'ş': 0x73 };
function gsmTurkishSingleShift(text) {
  return Buffer.concat([...text].map((c) => (c in turkishSingleShift ? Buffer.from([0x1b, turkishSingleShift[c]]) : gsm(c))));
}

function ucs2(text) {
  return Buffer.from(text, 'utf16le').swap16();
}

// Packs septets eight to seven octets, as TS 23.038 packs TP-UD (what some SMSCs wrongly put in short_message).
function packSeptets(septets) {
  const packed = [];
  let carry = 0;
  let bits = 0;
  for (const septet of septets) {
    carry |= septet << bits;
    bits += 7;
    while (bits >= 8) {
      packed.push(carry & 0xff);
      carry >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) {
    packed.push(carry & 0xff);
  }
  return Buffer.from(packed);
}

// The offset of the NUL that ends source_addr in a deliver_sm or data_sm the package wrote
// (header, service_type, source_addr_ton, source_addr_npi, then source_addr).
function sourceAddrEnd(bytes) {
  let offset = 16;
  while (bytes[offset] !== 0) offset++;
  offset += 3;
  while (bytes[offset] !== 0) offset++;
  return offset;
}

function withLength(bytes) {
  bytes.writeUInt32BE(bytes.length, 0);
  return bytes;
}

const code = 'Code 482913';
const otpPart1 = 'Your Pool verification code is 482913. ';
const otpPart2 = 'It expires in ten minutes.';
const longText = 'Your Pool verification code is 482913. It expires in ten minutes. Do not share it with anyone, '
  + 'not even someone who says they are from Pool: we will never ask you for it. If you did not ask for a code, '
  + 'someone may be trying to sign in as you; you can ignore this message. Pool.';

// Each case: a list of [command, fields, alter?]; alter(bytes) returns the bytes to write instead.
const cases = {
  // 1. data_coding values.
  'dcs-f0': [['deliver_sm', mo({ data_coding: 0xf0, short_message: code })]],
  'dcs-11': [['deliver_sm', mo({ data_coding: 0x11, short_message: code })]],
  'dcs-15': [['deliver_sm', mo({ data_coding: 0x15, short_message: Buffer.from(code, 'ascii') })]],
  'dcs-19': [['deliver_sm', mo({ data_coding: 0x19, short_message: ucs2('验证码 482913') })]],
  'dcs-02': [['deliver_sm', mo({ data_coding: 0x02, short_message: Buffer.from(code, 'ascii') })]],
  'dcs-04': [['deliver_sm', mo({ data_coding: 0x04, short_message: Buffer.from([0x06, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0]) })]],
  'dcs-0c': [['deliver_sm', mo({ data_coding: 0x0c, short_message: code })]],
  'dcs-84': [['deliver_sm', mo({ data_coding: 0x84, short_message: code })]],
  'dcs-03': [['deliver_sm', mo({ data_coding: 0x03, short_message: 'Código 482913 für Sie' })]],
  'dcs-08': [['deliver_sm', mo({ data_coding: 0x08, short_message: '您的验证码是 482913' })]],
  // The package's automatic choice for a text it can write in GSM 03.38: data_coding 0x01 (its "ASCII").
  'dcs-auto': [['deliver_sm', mo({ short_message: 'Your code: 482913' })]],
  // Message waiting group 1100 (discard), "voicemail waiting" set: the "silent" SMS some gateways send.
  'dcs-c8': [['deliver_sm', mo({ data_coding: 0xc8, short_message: 'Voicemail 1' })]],
  'dcs-00': [['deliver_sm', mo({ data_coding: 0x00, short_message: 'Your code: 482913 @Pool [ok] {5€}' })]],
  'dcs-08-emoji': [['deliver_sm', mo({ data_coding: 0x08, short_message: '🔐 482913 是您的验证码' })]],
  // A user data header whose length runs past the body: the PDU is sound, the message is not.
  'udh-bad-length': [['deliver_sm', mo({
    esm_class: 0x40,
    data_coding: 0x00,
    short_message: Buffer.from([0x0a, 0x00, 0x03, 0x01, 0x61, 0x62, 0x63]),
  })]],
  'dcs-00-packed': [['deliver_sm', mo({ data_coding: 0x00, short_message: packSeptets(gsm(code)) })]],

  // 2. User data headers: national language shifts, concatenation, SAR.
  'udh-tr-single': [['deliver_sm', mo({
    esm_class: 0x40,
    data_coding: 0x00,
    short_message: Buffer.concat([Buffer.from([0x03, 0x24, 0x01, 0x01]), Buffer.from([0x1b, 0x53]), gsm('ifreniz: 482913')]),
  })]],
  'udh-tr-locking': [['deliver_sm', mo({
    data_coding: 0x00,
    short_message: { udh: Buffer.from([0x03, 0x25, 0x01, 0x01]), message: gsm('Doğrulama kodunuz: 482913', 1) },
  })]],
  'udh-tr-concat': [1, 2].map((n) => ['deliver_sm', mo({
    data_coding: 0x00,
    short_message: {
      udh: Buffer.from([0x08, 0x00, 0x03, 0x5e, 0x02, n, 0x24, 0x01, 0x01]),
      message: gsmTurkishSingleShift(n === 1 ? 'Şifreniz: 482913. ' : 'Kimseyle paylaşmayın.'),
    },
  })]),
  'udh-concat-8': [1, 2].map((n) => ['deliver_sm', mo({
    data_coding: 0x00,
    short_message: { udh: Buffer.from([0x05, 0x00, 0x03, 0xa7, 0x02, n]), message: gsm(n === 1 ? otpPart1 : otpPart2) },
  })]),
  'udh-concat-16': [1, 2].map((n) => ['deliver_sm', mo({
    data_coding: 0x08,
    short_message: { udh: Buffer.from([0x06, 0x08, 0x04, 0x12, 0x34, 0x02, n]), message: ucs2(n === 1 ? '您的验证码是 ' : '482913，请勿泄露') },
  })]),
  'sar': [1, 2].map((n) => ['deliver_sm', mo({
    data_coding: 0x00,
    short_message: gsm(n === 1 ? otpPart1 : otpPart2),
    sar_msg_ref_num: 0x0102,
    sar_total_segments: 2,
    sar_segment_seqnum: n,
  })]),
  'udh-over-sar': [['deliver_sm', mo({
    data_coding: 0x00,
    short_message: { udh: Buffer.from([0x05, 0x00, 0x03, 0x21, 0x03, 0x02]), message: gsm(otpPart2) },
    sar_msg_ref_num: 0x9999,
    sar_total_segments: 2,
    sar_segment_seqnum: 1,
  })]],
  'sar-incomplete': [['deliver_sm', mo({
    data_coding: 0x00,
    short_message: gsm(code),
    sar_msg_ref_num: 0x0103,
    sar_segment_seqnum: 1,
  })]],
  'payload-udh': [1, 2].map((n) => ['deliver_sm', mo({
    esm_class: 0x40,
    data_coding: 0x00,
    message_payload: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, 0x3c, 0x02, n]), gsm(n === 1 ? otpPart1 : otpPart2)]),
  })]),

  // 3. esm_class message types.
  'esm-04': [['deliver_sm', statusReport(0x04, { short_message: receiptText('4409', 'DELIVRD', '001') })]],
  'esm-08': [['deliver_sm', statusReport(0x08, { short_message: 'Received', receipted_message_id: '4411', message_state: 2 })]],
  'esm-10': [['deliver_sm', statusReport(0x10, { short_message: 'YES', receipted_message_id: '4412', user_response_code: 1 })]],
  'esm-18': [['deliver_sm', statusReport(0x18, { short_message: 'Conversation ended' })]],
  'esm-20': [['deliver_sm', statusReport(0x20, { short_message: receiptText('4410', 'ENROUTE', '000') })]],
  // Message mode bits (store and forward) on a default-type message: still an MO.
  'esm-03': [['deliver_sm', mo({ esm_class: 0x03, data_coding: 0x00, short_message: code })]],
  // An SMSC that forgets esm_class 0x04 on a receipt (the package's users ask about it): an MO by the specification.
  'esm-00-receipt-text': [['deliver_sm', mo({ data_coding: 0x00, short_message: receiptText('4413', 'DELIVRD', '001') })]],

  // 4. Receipts as SMSCs write them.
  'receipt-ucs2-ascii': [['deliver_sm', statusReport(0x04, {
    data_coding: 0x08,
    short_message: Buffer.from(receiptText('S1000000000000000000001', 'DELIVRD', '001'), 'ascii'),
  })]],
  'receipt-ucs2': [['deliver_sm', statusReport(0x04, { data_coding: 0x08, short_message: receiptText('4414', 'UNDELIV', '000') })]],
  'receipt-state-tlv': [['deliver_sm', statusReport(0x04, {
    short_message: receiptText('4415', 'DELIVRD', '001'),
    receipted_message_id: '4415',
    message_state: 8,
  })]],
  'receipt-no-sub-dlvrd': [['deliver_sm', statusReport(0x04, {
    short_message: 'id:1526758174 submit date:1701240904 done date:1701240904 stat:DELIVRD err:000 text:hellow',
  })]],
  'receipt-err-alnum': [['deliver_sm', statusReport(0x04, {
    short_message: 'id:45013692 sub:001 dlvrd:000 submit date:180711070003912+ done date:180711070000012+ stat:UNDELIV err:21b Text:*100#',
  })]],
  'receipt-tlv-only': [['deliver_sm', statusReport(0x04, {
    receipted_message_id: '0A1B2C3D',
    message_state: 5,
    network_error_code: Buffer.from([0x03, 0x00, 0x0b]),
  })]],

  // 5. message_payload instead of short_message.
  'payload-mo': [['deliver_sm', mo({ data_coding: 0x00, message_payload: longText })]],
  'payload-receipt': [['deliver_sm', statusReport(0x04, { message_payload: receiptText('4420', 'EXPIRED', '000') })]],

  // 6. data_sm.
  'datasm-mo': [['data_sm', mo({ data_coding: 0x08, message_payload: '验证码 482913' })]],
  'datasm-receipt': [['data_sm', statusReport(0x04, {
    data_coding: 0x00,
    message_payload: receiptText('4430', 'DELIVRD', '001'),
    receipted_message_id: '4430',
    message_state: 2,
  })]],

  // 7. Destination address forms (the connection's country is HK).
  'addr-national': [['deliver_sm', mo({ dest_addr_ton: 2, dest_addr_npi: 1, destination_addr: '51880000', data_coding: 0x00, short_message: code })]],
  'addr-international': [['deliver_sm', mo({ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '85251880000', data_coding: 0x00, short_message: code })]],
  'addr-international-plus': [['deliver_sm', mo({ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '+85251880000', data_coding: 0x00, short_message: code })]],
  'addr-unknown-ton': [['deliver_sm', mo({ dest_addr_ton: 0, dest_addr_npi: 1, destination_addr: '85251880000', data_coding: 0x00, short_message: code })]],
  'addr-unknown-ton-00': [['deliver_sm', mo({ dest_addr_ton: 0, dest_addr_npi: 1, destination_addr: '0085251880000', data_coding: 0x00, short_message: code })]],
  'addr-alphanumeric': [['deliver_sm', mo({ dest_addr_ton: 5, dest_addr_npi: 0, destination_addr: 'POOLTEST', data_coding: 0x00, short_message: code })]],
  'addr-garbage': [['deliver_sm', mo({ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '85#2x', data_coding: 0x00, short_message: code })]],
  'addr-empty': [['deliver_sm', mo({ dest_addr_ton: 0, dest_addr_npi: 0, destination_addr: '', data_coding: 0x00, short_message: code })]],

  // 8. Malformed PDUs: the package's bytes, altered.
  'bad-sm-length': [['deliver_sm', mo({ data_coding: 0x00, short_message: Buffer.from(code, 'ascii') }), (bytes) => {
    bytes[bytes.length - code.length - 1] = 0xc8;
    return bytes;
  }]],
  'bad-cstring': [['deliver_sm', mo({ data_coding: 0x00, short_message: Buffer.from(code, 'ascii') }),
    (bytes) => withLength(Buffer.from(bytes.subarray(0, sourceAddrEnd(bytes))))]],
  'bad-tlv-length': [['deliver_sm', mo({ data_coding: 0x00, message_payload: Buffer.from(code, 'ascii') }), (bytes) => {
    bytes.writeUInt16BE(0x0040, bytes.length - code.length - 2);
    return bytes;
  }]],
  'bad-datasm': [['data_sm', mo({ data_coding: 0x00, message_payload: Buffer.from(code, 'ascii') }),
    (bytes) => withLength(Buffer.from(bytes.subarray(0, sourceAddrEnd(bytes))))]],
};

function nextSequence(session) {
  session.sequence = session.sequence >= 0x7fffffff ? 1 : session.sequence + 1;
  return session.sequence;
}

// Writes one PDU as the package encodes it (altered when the case says so) and waits for its answer.
function sendEncoded(session, command, fields, alter) {
  const pdu = new smpp.PDU(command, fields);
  pdu.sequence_number = nextSequence(session);
  const encoded = pdu.toBuffer();
  const bytes = alter ? alter(encoded) : encoded;
  return new Promise((resolve) => {
    const onPdu = (answer) => {
      if (answer.isResponse() && answer.sequence_number === pdu.sequence_number) {
        session.removeListener('pdu', onPdu);
        resolve(answer);
      }
    };
    session.on('pdu', onPdu);
    session.socket.write(bytes);
  });
}

async function sendCase(name) {
  const pdus = Object.prototype.hasOwnProperty.call(cases, name) ? cases[name] : null;
  if (!pdus) {
    report(`NO_CASE ${name}`);
    return;
  }
  if (!boundSession) {
    report(`NOT_BOUND ${name}`);
    return;
  }
  for (const [command, fields, alter] of pdus) {
    const answer = await sendEncoded(boundSession, command, { ...fields }, alter);
    report(`RESP ${name} ${answer.command} ${hex(answer.command_status)}`);
  }
  report(`SENT ${name}`);
}

const server = smpp.createServer((session) => {
  let bound = false;
  session.on('error', (error) => report(`SESSION_ERROR ${error.message}`));
  session.on('close', () => {
    if (boundSession === session) {
      boundSession = null;
    }
  });
  session.on('bind_transceiver', (pdu) => {
    if (pdu.system_id !== systemId || pdu.password !== password) {
      session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
      session.close();
      return;
    }
    bound = true;
    boundSession = session;
    session.send(pdu.response({ system_id: 'NODESMSC' }));
    report(`BOUND ${pdu.system_id}`);
  });
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => {
    session.send(pdu.response());
    report('UNBOUND');
    session.close();
  });
  session.on('submit_sm', (pdu) => {
    if (!bound) {
      session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
      return;
    }
    const id = (nextId++).toString(16).toUpperCase();
    session.send(pdu.response({ message_id: id }));
    report(`SUBMIT ${id} ${pdu.destination_addr} ${JSON.stringify(pdu.short_message.message)}`);
    sendReceiptAndMo(session, pdu, id).catch((error) => report(`FAILED ${error.message}`));
  });
});

// Commands run one at a time, in the order they came.
let queue = Promise.resolve();
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [verb, name] = line.trim().split(/\s+/);
  if (verb !== 'SEND' || !name) {
    report(`BAD_COMMAND ${line}`);
    return;
  }
  queue = queue.then(() => sendCase(name)).catch((error) => report(`FAILED ${name} ${error.message}`));
});
process.stdin.on('end', () => process.exit(0));

server.listen(0, '127.0.0.1', () => report(`LISTENING ${server.address().port}`));
