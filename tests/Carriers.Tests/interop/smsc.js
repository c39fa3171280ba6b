'use strict';
// An SMSC built on the npm "smpp" package, for Pool.Carriers.Tests' interoperability test.
// It listens on an ephemeral port and prints "LISTENING <port>". For each bound transceiver it
// answers submit_sm with a hex message id and prints "SUBMIT <id> <destination> <text as JSON>";
// then it sends a delivery receipt (its text writes the id in decimal; the TLVs keep the hex form),
// a UCS-2 MO and a two-part concatenated MO (UDH), printing "DELIVER_SM_RESP <status>" for each answer.
const smpp = require('smpp');

const systemId = process.env.SMSC_SYSTEM_ID || 'pool';
const password = process.env.SMSC_PASSWORD || 'secret';
let nextId = 0x2a00;

function report(line) {
  process.stdout.write(line + '\n');
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

const server = smpp.createServer((session) => {
  let bound = false;
  session.on('error', (error) => report(`SESSION_ERROR ${error.message}`));
  session.on('bind_transceiver', (pdu) => {
    if (pdu.system_id !== systemId || pdu.password !== password) {
      session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
      session.close();
      return;
    }
    bound = true;
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

server.listen(0, '127.0.0.1', () => report(`LISTENING ${server.address().port}`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
