// One activation through the npm package "sms-activate" (a client of the sms-activate handler_api
// protocol), unchanged: only the base URL of its HTTP session is pointed at Pool, as a user of the
// package would point it at any compatible service. Prints one JSON line per step; the test that
// runs it delivers the SMS once it has read the "status" line (so that status is still the wait).
//
// Environment: POOL_HTTP_ADDRESS (Pool's HTTP port, e.g. http://127.0.0.1:7401), POOL_API_KEY (a
// tenant key), SMSACTIVATE_SERVICE (default "tg"), SMSACTIVATE_COUNTRY (default 14, Hong Kong).
// Exit code 0 after the whole flow, 1 when a step failed (the "error" line says which).
'use strict'

const SMSActivate = require('sms-activate')

const address = process.env.POOL_HTTP_ADDRESS
const key = process.env.POOL_API_KEY || ''
const service = process.env.SMSACTIVATE_SERVICE || 'tg'
const country = Number(process.env.SMSACTIVATE_COUNTRY || '14')

/** Most getStatus polls while waiting for the code, and the pause between them. */
const polls = 150
const pauseMs = 200

function emit (step, data) {
  process.stdout.write(JSON.stringify({ step, ...data }) + '\n')
}

const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))

async function main () {
  const client = new SMSActivate(key)
  client.session.defaults.baseURL = new URL('/stubs/handler_api.php', address).toString()

  emit('balance', { balance: await client.getBalance() })

  const rented = await client.getNumber(service, country)
  if (!rented) {
    throw new Error('getNumber answered no number')
  }
  emit('number', { id: rented.id, number: String(rented.number) })

  emit('ready', { answer: await client.setStatus(rented.id, 1) })
  emit('status', { status: await client.getStatus(rented.id) })

  let code = null
  for (let i = 0; i < polls && !code; i++) {
    code = await client.getCode(rented.id)
    if (!code) {
      await sleep(pauseMs)
    }
  }
  emit('code', { code })

  emit('complete', { answer: await client.setStatus(rented.id, 6) })
  emit('final', { status: await client.getStatus(rented.id) })
}

main().catch(error => {
  emit('error', { name: error.name, message: error.message })
  process.exitCode = 1
})
