import type { TenantDriver, TenantHandle, TenantLocation } from '../../../src/tenancy/tenant-driver.js';
import type { TenantLocator } from '../../../src/tenancy/tenant-locator.js';

export type CloseFault = 'none' | 'slow' | 'hang' | 'fail';

/**
 * Wraps a real driver to inject slow opens and slow, hanging or failing closes, and records
 * every handle so a test can check that none was closed while leased.
 */
export class FaultDriver implements TenantDriver {
  readonly kind: TenantDriver['kind'];
  readonly connectionsPerHandle: number;
  nextClose: CloseFault = 'none';
  openDelayMs = 0;
  slowMs = 20;
  hangMs = 150;
  readonly handles: Array<{
    tenantId: string;
    handle: TenantHandle;
    closeStarted: boolean;
    closed: boolean;
  }> = [];
  /** Called when a close starts; return a message to record a violation. */
  onCloseStart: (tenantId: string, handle: TenantHandle) => string | undefined = () => undefined;
  readonly violations: string[] = [];

  constructor(
    private readonly inner: TenantDriver,
    connectionsPerHandle = inner.connectionsPerHandle,
  ) {
    this.kind = inner.kind;
    this.connectionsPerHandle = connectionsPerHandle;
  }

  async open(location: TenantLocation): Promise<TenantHandle> {
    if (this.openDelayMs) await sleep(this.openDelayMs);
    const real = await this.inner.open(location);
    const record = { tenantId: location.tenantId, handle: real, closeStarted: false, closed: false };
    const fault = () => {
      const f = this.nextClose;
      this.nextClose = 'none';
      return f;
    };
    const handle: TenantHandle = {
      db: real.db,
      connections: this.connectionsPerHandle,
      close: async () => {
        record.closeStarted = true;
        const v = this.onCloseStart(location.tenantId, handle);
        if (v) this.violations.push(v);
        const f = fault();
        if (f === 'slow') await sleep(this.slowMs);
        if (f === 'hang') await sleep(this.hangMs);
        await real.close();
        record.closed = true;
        if (f === 'fail') throw new Error('injected close failure');
      },
    };
    record.handle = handle;
    this.handles.push(record);
    return handle;
  }

  create = (t: Parameters<TenantDriver['create']>[0]) => this.inner.create(t);
  drop = (t: Parameters<TenantDriver['drop']>[0]) => this.inner.drop(t);
}

/** An in-memory locator: every listed tenant is a SQLite tenant at the given version. */
export function staticLocator(ids: string[], schemaVersion: number): TenantLocator {
  const known = new Set(ids);
  return {
    locate: async (tenantId) => (known.has(tenantId) ? { tenantId, server: null, schemaVersion } : undefined),
    recentlyActive: async (limit) => ids.slice(0, limit),
    recordSchemaVersion: async () => {},
    markActive: async () => {},
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
