import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerSummary, ImageSummary } from '../src/core/engine.js';
import { humanDuration } from '../src/core/util/humanize.js';
import { MAX_REFRESH_MS, msUntilTextChange, nextRefreshIn, shownColumns, shownInstants } from '../src/ui/state/clock.js';
import { rowsFor, type Data } from '../src/ui/state/rows.js';
import { statusText } from '../src/present/present.js';

/** The wait found the slow way: step a millisecond at a time from each whole-second edge. */
function bruteForce(elapsed: number, cap: number): number {
  const text = humanDuration(elapsed);
  // The text depends on whole seconds only: the candidates are the next second edges.
  for (let t = Math.floor(elapsed / 1000) * 1000 + 1000; t - elapsed < cap; t += 1000) if (humanDuration(t) !== text) return t - elapsed;
  return cap;
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('relative times: when the text next changes', () => {
  it('seconds change at the next whole second, from anywhere inside one', () => {
    assert.equal(msUntilTextChange(0), 1000); // "Less than a second" -> "1 second"
    assert.equal(msUntilTextChange(999), 1);
    assert.equal(msUntilTextChange(2 * S), 1000); // "2 seconds" -> "3 seconds"
    assert.equal(msUntilTextChange(2.3 * S), 700);
    assert.equal(msUntilTextChange(59.5 * S), 500); // "59 seconds" -> "About a minute"
  });

  it('minutes change at the next whole minute; "About a minute" lasts until 2 minutes', () => {
    assert.equal(msUntilTextChange(60 * S), M); // "About a minute" -> "2 minutes"
    assert.equal(msUntilTextChange(90 * S), 30 * S);
    assert.equal(msUntilTextChange(5 * M + 10 * S), 50 * S);
  });

  it('hours change at the half hour (they are rounded); nothing within the cap waits the cap', () => {
    // 60-89 minutes read "About an hour"; 90 minutes rounds to "2 hours".
    assert.equal(msUntilTextChange(60 * M, 2 * H), 30 * M);
    assert.equal(msUntilTextChange(2 * H + 29 * M, 2 * H), M); // "2 hours" until 2 h 30 min
    assert.equal(msUntilTextChange(60 * M), MAX_REFRESH_MS); // the default cap: once a minute at most
  });

  it('a time slightly in the future (clock skew) waits until it is a second old', () => {
    assert.equal(msUntilTextChange(-500), 1500);
  });

  it('agrees with stepping through every second, over three days of elapsed times', () => {
    for (let e = -1234; e < 3 * 24 * H; e += e < 5 * M ? 777 : e < 3 * H ? 37_777 : 977_777) {
      assert.equal(msUntilTextChange(e), bruteForce(e, MAX_REFRESH_MS), `elapsed ${e}`);
    }
    for (const e of [89 * M + 59 * S, 47 * H + 31 * M, 2 * 24 * H + 1]) {
      assert.equal(msUntilTextChange(e, 48 * H), bruteForce(e, 48 * H), `elapsed ${e}, cap 48 h`);
    }
  });

  it('"Up N seconds": right after the wait the status reads differently, just before it reads the same', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const state = { Status: 'running' as const, Pid: 1, ExitCode: 0, Error: '', StartedAt: new Date(now - 2345).toISOString(), FinishedAt: '' };
    const wait = nextRefreshIn([now - 2345], now);
    assert.equal(wait, 655);
    assert.equal(statusText(state, now + wait - 1), statusText(state, now));
    assert.notEqual(statusText(state, now + wait), statusText(state, now));
  });

  it('the earliest of several instants wins; invalid ones (N/A) never ask for a render', () => {
    const now = 10 * H;
    assert.equal(nextRefreshIn([now - 5 * M - 10 * S, now - 3 * S - 200], now), 800);
    assert.equal(nextRefreshIn([NaN, 0, -1], now), MAX_REFRESH_MS);
    assert.equal(nextRefreshIn([], now), MAX_REFRESH_MS);
  });
});

function container(id: string, status: 'created' | 'running' | 'exited', created: number, started: number): ContainerSummary {
  const iso = (t: number) => new Date(t).toISOString();
  return {
    Id: id, Name: id, Image: 'busybox', ImageId: 'sha256:x', Command: 'true', Created: iso(created), Labels: {}, ImageSize: 0, Mounts: [],
    State: { Status: status, Pid: 0, ExitCode: 0, Error: '', StartedAt: status === 'created' ? '0001-01-01T00:00:00Z' : iso(started), FinishedAt: status === 'exited' ? iso(started + S) : '0001-01-01T00:00:00Z' },
  };
}

describe('relative times: which instants are on screen', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const data: Data = {
    images: [{ Id: 'img', RepoTags: ['busybox:latest'], Created: new Date(now - 3 * H).toISOString(), Size: 1, Containers: 2 } satisfies ImageSummary],
    containers: [container('new', 'created', now - 5 * S, 0), container('up', 'running', now - 2 * H, now - 20 * S), container('old', 'exited', now - 5 * H, now - 4 * H)],
    volumes: [],
    sizes: new Map(),
  };

  it('counts the columns that fit: at 80 columns CREATED is gone and a created container shows no time', () => {
    const narrow = shownColumns('containers', 80, rowsFor('containers', data, now));
    assert.ok(narrow.has('STATUS') && !narrow.has('CREATED'), [...narrow].join(' '));
    assert.deepEqual(shownInstants('containers', data, ['new'], narrow), [NaN]); // "Created": no time at all
    assert.equal(nextRefreshIn(shownInstants('containers', data, ['new'], narrow), now), MAX_REFRESH_MS);
    const wide = shownColumns('containers', 200, rowsFor('containers', data, now));
    assert.ok(wide.has('CREATED'));
    assert.equal(nextRefreshIn(shownInstants('containers', data, ['new'], wide), now), S); // "5 seconds ago"
  });

  it('only the visible rows count: a running container scrolled off screen asks for nothing', () => {
    const cols = shownColumns('containers', 80, rowsFor('containers', data, now));
    assert.equal(nextRefreshIn(shownInstants('containers', data, ['up', 'old'], cols), now), S); // "Up 20 seconds"
    assert.equal(nextRefreshIn(shownInstants('containers', data, ['old'], cols), now), MAX_REFRESH_MS); // "Exited (0) 4 hours ago"
  });

  it('images show their age; volumes show a date', () => {
    assert.deepEqual(shownInstants('images', data, ['img'], shownColumns('images', 120)), [now - 3 * H]);
    assert.deepEqual(shownInstants('volumes', data, [], shownColumns('volumes', 120)), []);
  });
});
