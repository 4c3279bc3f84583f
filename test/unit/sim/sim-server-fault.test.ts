/**
 * A fault inside the sim's clock (a service's state machine throwing while time moves) answers the
 * request with AWS's InternalError and a log line, and the sim keeps serving: it never ends the
 * process with a stack trace (as a us-west-2 Image Builder build once did in the demo).
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../reconciler/src/sim/core/engine.js';
import { createSimServer } from '../../../reconciler/src/sim/core/server.js';
import type { SimService } from '../../../reconciler/src/sim/core/contract.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

describe('labops sim: a fault while the clock moves', () => {
  it('answers 500 InternalError, logs it once per request, and keeps serving', async () => {
    // Arrange: a service whose state machine throws once the clock passes a point.
    let broken = false;
    const service: SimService = {
      name: 'STS',
      operations: {},
      advance: () => {
        if (broken) throw new Error('state machine fault');
      },
    };
    const engine = createEngine({
      config: { accountId: '123456789012', seed: 1, costLagHours: 8 },
      services: [service],
      clock: { speed: 600 },
      start: new Date('2026-11-16T12:00:00Z'),
    });
    const logged: string[] = [];
    const server = createSimServer(
      engine,
      { markDirty: () => undefined, flush: () => Promise.resolve() },
      (_data, message) => logged.push(message),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_sim/clock`;

    // Act
    const before = await fetch(url);
    broken = true;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const during = await fetch(url);
    const again = await fetch(url);
    broken = false;
    const after = await fetch(url);

    // Assert
    expect(before.status).toBe(200);
    expect([during.status, await during.json()]).toEqual([
      500,
      { code: 'InternalError', message: 'An internal error has occurred.' },
    ]);
    expect(again.status).toBe(500);
    expect(logged).toEqual(['labops sim: advancing the clock failed', 'labops sim: advancing the clock failed']);
    expect(after.status).toBe(200);
  });
});
