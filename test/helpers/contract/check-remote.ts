import { ApiContract, type Exchange } from './api-contract.js';
import { recordCheck } from './contract-log.js';

const contracts = new Map<string, Promise<ApiContract>>();

function contractOf(baseUrl: string): Promise<ApiContract> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = fetch(`${baseUrl}/api/openapi.json`, { signal: AbortSignal.timeout(15_000) })
      .then((res) => res.json() as Promise<Record<string, unknown>>)
      .then((doc) => new ApiContract(doc));
    contracts.set(baseUrl, contract);
    contract.catch(() => contracts.delete(baseUrl));
  }
  return contract;
}

/**
 * Checks an answer of a spawned server (no hooks there) against the document that same server
 * serves. A server that died right after answering has no document left to fetch: that answer
 * goes unchecked (the chaos suites kill servers on purpose).
 */
export async function checkRemoteAnswer(baseUrl: string, exchange: Exchange): Promise<void> {
  const contract = await contractOf(baseUrl).catch(() => undefined);
  if (contract) recordCheck(contract.check(exchange), exchange.status, () => contract.operations());
}
