/**
 * The JSON control API under `/_sim/` (see design/cli.md): clock, state, call counts, the
 * per-request log (SDK attempt headers), faults, and service-specific endpoints such as `load`
 * (CloudWatch) and `volume-data` (EC2).
 */
import { SimError } from './contract.js';
import { parseDurationMs } from '../../model/duration.js';
import type { SimEngine } from './engine.js';
import { checkFaultPlan } from './faults.js';

/** A control answer: status and JSON body. */
export interface ControlResponse {
  status: number;
  body: unknown;
}

function clockBody(engine: SimEngine): ControlResponse {
  return { status: 200, body: { now: engine.now().toISOString() } };
}

function setClock(engine: SimEngine, body: Record<string, unknown>): ControlResponse {
  engine.now();
  if (typeof body.set === 'string') {
    const to = Date.parse(body.set);
    if (Number.isNaN(to))
      throw new SimError('InvalidParameterValue', `clock: "set" is not an ISO-8601 time: ${body.set}`);
    engine.advanceTo(new Date(to));
  } else if (typeof body.advance === 'string') {
    const ms = parseDurationMs(body.advance, 'go');
    if (ms === undefined)
      throw new SimError(
        'InvalidParameterValue',
        `clock: invalid duration "${body.advance}" (expected e.g. 90m, 36h, 1h30m)`,
      );
    engine.advanceTo(new Date(Date.parse(engine.state.clock) + ms));
  } else {
    throw new SimError('InvalidParameterValue', 'clock: expected {"set": ISO} or {"advance": "36h"}');
  }
  return clockBody(engine);
}

function serviceControl(engine: SimEngine, name: string, body: unknown): ControlResponse | undefined {
  for (const service of engine.services.values()) {
    const handler = service.control && Object.hasOwn(service.control, name) ? service.control[name] : undefined;
    if (handler === undefined) continue;
    engine.now();
    const result = handler(body, engine.context('us-east-1'));
    return { status: 200, body: result ?? { ok: true } };
  }
  return undefined;
}

/**
 * Answers one control request; `mutated` is set when the state changed and must be saved.
 * @throws {SimError} for a bad body (the server answers 400 with the message).
 */
export function handleControl(
  engine: SimEngine,
  method: string,
  name: string,
  body: unknown,
): ControlResponse & { mutated: boolean } {
  const input = (body ?? {}) as Record<string, unknown>;
  const route = `${method} ${name}`;
  switch (route) {
    case 'GET clock':
      return { ...clockBody(engine), mutated: false };
    case 'POST clock':
      return { ...setClock(engine, input), mutated: true };
    case 'GET state':
      engine.now();
      return { status: 200, body: engine.state, mutated: false };
    case 'GET calls':
      return {
        status: 200,
        body: Object.fromEntries([...engine.calls].sort(([a], [b]) => a.localeCompare(b))),
        mutated: false,
      };
    case 'POST calls/reset':
      engine.calls.clear();
      return { status: 200, body: {}, mutated: false };
    case 'GET requests':
      return { status: 200, body: engine.requests.read(), mutated: false };
    case 'POST requests/reset':
      engine.requests.clear();
      return { status: 200, body: {}, mutated: false };
    case 'GET faults':
      return { status: 200, body: engine.faults.plan(), mutated: false };
    case 'POST faults':
      engine.faults.configure(checkFaultPlan(body));
      return { status: 200, body: engine.faults.plan(), mutated: false };
  }
  if (method === 'POST') {
    const answer = serviceControl(engine, name, body);
    if (answer) return { ...answer, mutated: true };
  }
  return { status: 404, body: { error: `no control endpoint ${method} /_sim/${name}` }, mutated: false };
}
