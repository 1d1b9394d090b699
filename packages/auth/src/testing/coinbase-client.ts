import { coinbaseSignature } from '../usecase/coinbase-signature';

export interface ApiCredentials {
  key: string;
  secret: string;
  passphrase: string;
}

/** The CB-ACCESS-* headers a Coinbase-Exchange client sends, for tests and bots. */
export function signedHeaders(
  credentials: ApiCredentials,
  request: { method: string; requestPath: string; body?: string; timestamp?: string },
): Record<string, string> {
  const timestamp = request.timestamp ?? (Date.now() / 1000).toFixed(3);
  const body = request.body ?? '';
  return {
    'CB-ACCESS-KEY': credentials.key,
    'CB-ACCESS-SIGN': coinbaseSignature(credentials.secret, { timestamp, method: request.method, requestPath: request.requestPath, body }),
    'CB-ACCESS-TIMESTAMP': timestamp,
    'CB-ACCESS-PASSPHRASE': credentials.passphrase,
  };
}
