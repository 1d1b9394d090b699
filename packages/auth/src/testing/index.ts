// What other packages' tests may use of the auth domain: `@sd/auth/testing`.
export { AuthClient, newEmail, STRONG_PASSWORD, type HttpMethod, type TestUser } from './auth-client';
export { createAuthFixture, TestClock, type AuthFixture } from './auth-fixture';
export { describeAuthRepositoryContract, type AuthRepositories } from './auth-repository-contract';
export { serveAuthService } from './auth-service';
export { describeAuthenticatorContract, type AuthenticatorUnderTest } from './authenticator-contract';
export { signedHeaders, type ApiCredentials } from './coinbase-client';
export { TEST_SCRYPT, testAuthAppConfig, testAuthConfig, testAuthKeys, testAuthSettings } from './test-auth-config';
