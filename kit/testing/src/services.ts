/**
 * Where the real services of the integration suites are. A service's URL comes from the
 * environment when set (scripts/services exports them on machines without Docker);
 * otherwise a testcontainers container is started. Nothing is skipped: with neither, the
 * suite fails and says how to get the service.
 */
export type ServiceName = 'postgres' | 'kafka' | 'mongo' | 'redis';

export const serviceEnv: Record<ServiceName, string> = {
  postgres: 'DATABASE_URL',
  kafka: 'KAFKA_BROKERS',
  mongo: 'MONGO_URL',
  redis: 'REDIS_URL',
};

/**
 * The containers' images: the versions docker/compose.yaml runs (docker/src/compose.spec.ts
 * checks it). Kafka is Confluent's image, the one @testcontainers/kafka configures: its 8.1
 * line is Apache Kafka 4.1, compose's `apache/kafka:4.1.0`.
 */
export const serviceImages: Record<ServiceName, string> = {
  postgres: 'postgres:17.2-bookworm',
  kafka: 'confluentinc/cp-kafka:8.1.0',
  mongo: 'mongo:8.0.4',
  redis: 'redis:7.4.2-bookworm',
};

interface StartedService {
  url: string;
  stop(): Promise<unknown>;
}

async function startContainer(name: ServiceName): Promise<StartedService> {
  switch (name) {
    case 'postgres': {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer(serviceImages.postgres).start();
      return { url: container.getConnectionUri(), stop: () => container.stop() };
    }
    case 'kafka': {
      const { KafkaContainer } = await import('@testcontainers/kafka');
      const container = await new KafkaContainer(serviceImages.kafka).withKraft().start();
      return { url: `${container.getHost()}:${container.getMappedPort(9093)}`, stop: () => container.stop() };
    }
    case 'mongo': {
      const { MongoDBContainer } = await import('@testcontainers/mongodb');
      const container = await new MongoDBContainer(serviceImages.mongo).start();
      return { url: `${container.getConnectionString()}?directConnection=true`, stop: () => container.stop() };
    }
    case 'redis': {
      const { RedisContainer } = await import('@testcontainers/redis');
      const container = await new RedisContainer(serviceImages.redis).start();
      return { url: container.getConnectionUrl(), stop: () => container.stop() };
    }
  }
}

/**
 * Makes sure each named service has its URL in `process.env` (Jest workers inherit it) and
 * returns a function that stops the containers this call started.
 */
export async function provideServices(names: readonly ServiceName[]): Promise<() => Promise<void>> {
  const started: StartedService[] = [];
  for (const name of names) {
    const variable = serviceEnv[name];
    if (process.env[variable]) {
      console.log(`[services] ${name}: ${redact(process.env[variable]!)} (from ${variable})`);
      continue;
    }
    let service: StartedService;
    try {
      service = await startContainer(name);
    } catch (error) {
      throw new Error(
        `${variable} is not set and no container could be started for ${name} (${(error as Error).message}). ` +
          'On a machine without Docker run `scripts/services up` and `source .services/env` first.',
      );
    }
    started.push(service);
    process.env[variable] = service.url;
    console.log(`[services] ${name}: ${redact(service.url)} (testcontainers)`);
  }
  return async () => {
    await Promise.all(started.map((service) => service.stop()));
  };
}

/** The URL of a service inside a test; `provideServices` must have run in global setup. */
export function serviceUrl(name: ServiceName): string {
  const url = process.env[serviceEnv[name]];
  if (!url) throw new Error(`${serviceEnv[name]} is not set: the integration global setup did not provide ${name}`);
  return url;
}

const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
