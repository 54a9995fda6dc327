import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/config.js';
import { apiClient, waitUntil } from '../helpers/http-api.js';
import { spawnServer } from '../helpers/process.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the server SIGKILLed in the middle of sending a message', () => {
  it('sends it after a restart, once its claim runs out, with the same Message-ID', async () => {
    // The mail server takes the message and never answers: the sender dies waiting.
    const sink = await startSmtpSink('hang');
    cleanups.push(() => sink.close());
    const data = tempDataDir();
    cleanups.push(() => data.cleanup());
    const env = {
      DATA_DIR: data.dir,
      SMTP_URL: sink.url,
      PUBLIC_URL: 'https://console.grace.example',
      MAIL_CLAIM_MS: '2000',
      MAIL_SWEEP_INTERVAL_MS: '200',
      REGISTRATION_RATE_LIMIT: '0',
    };
    const first = await spawnServer(env);
    cleanups.push(() => first.stop('SIGKILL'));
    const api = apiClient(first.url);
    const reg = await api('POST', '/api/registrations?wait=true', {
      church: { name: 'Grace Chapel', slug: 'grace-killed', timezone: 'UTC', currency: 'USD' },
      admin: { name: 'Ana', email: 'ana@grace.example', password: 'a long passphrase' },
    });
    expect(reg.status).toBe(201);
    const asked = await api('POST', '/api/auth/password-reset', {
      church: 'grace-killed',
      email: 'ana@grace.example',
    });
    expect(asked.status).toBe(202);
    await waitUntil('the send to reach the mail server', () => sink.attempts.length === 1, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;

    sink.mode = 'accept';
    const second = await spawnServer(env);
    cleanups.push(() => second.stop());
    const [m] = await sink.waitForMessages(1, 30_000);
    expect(m!.messageId).toBe(sink.attempts[0]);
    expect(m!.text).toMatch(/^https:\/\/console\.grace\.example\/reset-password#token=\S+$/m);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.messages).toHaveLength(1);
  }, 180_000);
});
