export { CircuitBreaker, CIRCUIT_BREAKER_OPTIONS } from './circuit-breaker';
export type { CircuitBreakerOptions, CircuitDecision, CircuitState } from './circuit-breaker';
export { PapermapClient } from './papermap.client';
export type { PapermapConnection } from './papermap.client';
export { PapermapProvider } from './papermap.provider';
export { PAPERMAP_SIGNATURE_TTL_SECONDS, papermapAuthHeaders, signPapermap, verifyPapermapSignature } from './papermap-signature';
export type { PapermapCredentials } from './papermap-signature';
