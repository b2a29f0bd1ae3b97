'use strict';
/**
 * Shared plumbing of the bare node:http baselines: body reading, the JSON envelope, listening and
 * a watchdog that ends the process when bench/run.js (its parent) is gone. No framework, no
 * database: what is left is the cryptography and parsing the Tessera route does per request.
 */
const http = require('node:http');

const BODY_LIMIT = 100 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

function send(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function ok(res, data) {
  send(res, 200, { success: true, data });
}

function fail(res, status, code, error) {
  send(res, status, { success: false, error, code });
}

/** Reads the whole body (≤ BODY_LIMIT) and hands the parsed JSON object, or undefined, to `onBody`. */
function readJson(req, res, onBody) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      fail(res, 413, 'PAYLOAD_TOO_LARGE', 'Payload too large');
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > BODY_LIMIT) return;
    let body;
    try {
      body = size === 0 ? {} : JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch {
      return fail(res, 400, 'VALIDATION_ERROR', 'Malformed JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return fail(res, 400, 'VALIDATION_ERROR', 'Body must be a JSON object');
    onBody(body);
  });
}

function decodeJsonPart(part) {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Listens on 127.0.0.1:$PORT (0 = any) and prints `listening <port>` for the parent to read. */
function serve(handler) {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 72_000;
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}

module.exports = { ok, fail, readJson, decodeJsonPart, serve };
