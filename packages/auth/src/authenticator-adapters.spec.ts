import { MemoryCache } from '@sd/cache/memory/memory-cache';
import { RemoteAuthenticator } from './repository/remote/remote-authenticator';
import { createAuthFixture } from './testing/auth-fixture';
import { serveAuthService } from './testing/auth-service';
import { describeAuthenticatorContract } from './testing/authenticator-contract';

describeAuthenticatorContract('in process (CredentialAuthenticator)', async () => {
  const fx = await createAuthFixture();
  return { authenticator: fx.authenticator, fx, staleForMs: 0, close: () => fx.close() };
});

describeAuthenticatorContract('remote (RemoteAuthenticator over loopback HTTP)', async () => {
  const fx = await createAuthFixture();
  const service = await serveAuthService(fx.authenticator);
  const cacheTtlMs = 5_000;
  const authenticator = new RemoteAuthenticator({ url: service.url, timeoutMs: 2_000, cacheTtlMs }, new MemoryCache({ now: fx.clock.now }));
  return {
    authenticator,
    fx,
    staleForMs: cacheTtlMs,
    close: async () => {
      await service.close();
      await fx.close();
    },
  };
});
