/**
 * The HTTP side of `labops sim`: one loopback port for every service and the control API.
 * Every handler runs inside a catch: a SimError becomes the service's error reply, anything
 * else a 500 `InternalError` that is logged while the server keeps serving.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SimError } from './contract.js';
import { handleControl } from './control.js';
import type { SimEngine } from './engine.js';
import type { Persister } from './persistence.js';
import { decodeCall, encodeError, encodeResult, signingRegion } from '../protocols/protocols.js';
import type { DecodedCall, RawRequest, WireResponse } from '../protocols/protocols.js';
import { requestIdFrom } from './random.js';
import { sdkAttemptHeaders } from './request-log.js';

/** Largest request body accepted, in bytes (EC2 Query bodies are far smaller). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Where the server reports unexpected failures: static message plus data. */
export type SimLogger = (data: Record<string, unknown>, message: string) => void;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, wire: WireResponse): void {
  res.writeHead(wire.status, { ...wire.headers, 'content-length': Buffer.byteLength(wire.body) });
  res.end(wire.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function isReadOnly(operation: string): boolean {
  return /^(Describe|List|Get)/.test(operation);
}

/** Adds one answered call to the request log (attempt headers; the input of mutations). */
function logRequest(
  engine: SimEngine,
  call: DecodedCall,
  req: RawRequest,
  status: number,
  error?: { code: string; injected?: boolean },
): void {
  engine.requests.add({
    operation: `${call.service}.${call.operation}`,
    region: signingRegion(req) ?? 'us-east-1',
    ...sdkAttemptHeaders(req.headers),
    status,
    ...(error === undefined ? {} : { code: error.code, ...(error.injected ? { injected: true } : {}) }),
    ...(isReadOnly(call.operation) ? {} : { input: call.input }),
  });
}

async function answerCall(
  engine: SimEngine,
  persister: Persister,
  call: DecodedCall,
  req: RawRequest,
  requestId: string,
): Promise<WireResponse> {
  engine.now();
  const ctx = engine.context(signingRegion(req) ?? 'us-east-1');
  const service = engine.services.get(call.service);
  if (call.error || service === undefined) {
    const key = `${call.service}.${call.operation}`;
    engine.calls.set(key, (engine.calls.get(key) ?? 0) + 1);
    const unknown =
      call.protocol === 'ec2' || call.protocol === 'query' ? 'InvalidAction' : 'UnknownOperationException';
    const error = call.error ?? new SimError(unknown, `${call.service} is not simulated.`);
    logRequest(engine, call, req, error.status, { code: error.code });
    return encodeError(call.protocol, error, requestId);
  }
  const fault = engine.faults.decide(call.service, call.operation, call.input, ctx.region);
  if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.error && fault.afterEffect) {
    // The call takes effect; only its reply is lost (whatever it would have answered).
    try {
      await engine.invoke(service, call.operation, call.input, ctx);
    } catch {
      // Whatever the call would have answered is lost with the reply.
    }
    if (!isReadOnly(call.operation)) persister.markDirty();
    logRequest(engine, call, req, fault.error.status, { code: fault.error.code, injected: true });
    return encodeError(call.protocol, fault.error, requestId);
  }
  if (fault.error) {
    engine.calls.set(
      `${call.service}.${call.operation}`,
      (engine.calls.get(`${call.service}.${call.operation}`) ?? 0) + 1,
    );
    logRequest(engine, call, req, fault.error.status, { code: fault.error.code, injected: true });
    return encodeError(call.protocol, fault.error, requestId);
  }
  if (fault.consistencyDelaySeconds !== undefined) ctx.consistencyDelaySeconds = fault.consistencyDelaySeconds;
  if (fault.hibernationFails === true) ctx.hibernationFails = true;
  if (call.protocol === 'ec2' && call.input.DryRun === true && Object.hasOwn(service.operations, call.operation)) {
    engine.calls.set(`EC2.${call.operation}`, (engine.calls.get(`EC2.${call.operation}`) ?? 0) + 1);
    logRequest(engine, call, req, 412, { code: 'DryRunOperation' });
    return encodeError(
      'ec2',
      new SimError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
      requestId,
    );
  }
  const result: unknown = await engine.invoke(service, call.operation, call.input, ctx);
  if (!isReadOnly(call.operation)) persister.markDirty();
  logRequest(engine, call, req, 200);
  // The call took effect and is logged; its reply is held back (a client killed now never hears it).
  if (fault.replyLatencyMs) await new Promise((resolve) => setTimeout(resolve, fault.replyLatencyMs));
  return encodeResult(call, result, requestId);
}

async function handle(
  engine: SimEngine,
  persister: Persister,
  log: SimLogger,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const raw: RawRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: '',
  };
  let call: DecodedCall | undefined;
  try {
    raw.body = await readBody(req);
    if (raw.path.startsWith('/_sim/')) {
      const body: unknown = raw.body.trim() === '' ? {} : JSON.parse(raw.body);
      const answer = handleControl(engine, raw.method, raw.path.slice('/_sim/'.length), body);
      if (answer.mutated) persister.markDirty();
      sendJson(res, answer.status, answer.body);
      return;
    }
    call = decodeCall(raw, engine.services);
    if (call === undefined) {
      sendJson(res, 404, { message: `No AWS operation matches ${raw.method} ${raw.path}` });
      return;
    }
    send(res, await answerCall(engine, persister, call, raw, requestId));
  } catch (err: unknown) {
    if (err instanceof BodyTooLarge) {
      sendJson(res, 413, { message: `Request body larger than ${MAX_BODY_BYTES} bytes` });
    } else if (err instanceof SimError) {
      if (call) logRequest(engine, call, raw, err.status, { code: err.code });
      if (call) send(res, encodeError(call.protocol, err, requestId));
      else sendJson(res, err.status, { error: err.message, code: err.code });
    } else if (err instanceof SyntaxError && call === undefined) {
      sendJson(res, 400, { error: `invalid JSON body: ${err.message}` });
    } else {
      log(
        {
          requestId,
          path: raw.path,
          operation: call?.operation,
          error: err instanceof Error ? err.stack : String(err),
        },
        'labops sim: handler failed',
      );
      if (call) logRequest(engine, call, raw, 500, { code: 'InternalError' });
      send(
        res,
        encodeError(
          call?.protocol ?? 'ec2',
          new SimError('InternalError', 'An internal error has occurred.', 500),
          requestId,
        ),
      );
    }
  }
}

/** Creates the HTTP server (not yet listening) over an engine. */
export function createSimServer(engine: SimEngine, persister: Persister, log: SimLogger): Server {
  let counter = 0;
  return createServer((req, res) => {
    counter += 1;
    // AWS's clock, as every AWS reply carries it: the simulated time the request arrived. A clock
    // running faster than real time looks like clock skew to the SDK, which would then resend
    // refused calls: clients of the sim set AWS_DISABLE_CLOCK_SKEW_CORRECTION=true (the SDK's own
    // setting; `labops sim` prints it).
    const requestId = requestIdFrom(engine.config.seed, counter);
    let now: Date;
    try {
      now = engine.now();
    } catch (err: unknown) {
      // Moving the clock runs every service's state machine; a fault in one must answer this
      // request with AWS's InternalError, not end the process with a stack trace.
      log(
        { requestId, error: err instanceof Error ? err.stack : String(err) },
        'labops sim: advancing the clock failed',
      );
      req.resume();
      sendJson(res, 500, { code: 'InternalError', message: 'An internal error has occurred.' });
      return;
    }
    res.setHeader('date', now.toUTCString());
    void handle(engine, persister, log, req, res, requestId);
  });
}
