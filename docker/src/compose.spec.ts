import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { exchangeConfigFromEnv } from '@sd/app-exchange/config';
import { chatConfigFromEnv } from '@sd/app-chat/config';
import { urlShortenerConfigFromEnv } from '@sd/app-urlshortener/config';
import { userConfigFromEnv } from '@sd/app-user/config';
import { serviceImages } from '@sd/testing/services';

// compose.yaml cannot run on a machine without Docker; this keeps it honest against the code.

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const dockerDir = resolve(__dirname, '..');
const read = (file: string): string => readFileSync(resolve(dockerDir, file), 'utf8');
const repoRoot = resolve(dockerDir, '..');
const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

interface AppConfig {
  http: { host: string; port: number };
  metrics: { host: string; port: number };
}

/** The config reader of each app, by the directory compose builds it from. */
const readers: Record<string, (env: NodeJS.ProcessEnv) => AppConfig> = {
  'apps/exchange': exchangeConfigFromEnv,
  'apps/user': userConfigFromEnv,
  'apps/chat': chatConfigFromEnv,
  'apps/urlshortener': urlShortenerConfigFromEnv,
};

const appServices = Object.entries(services).filter(([, service]) => service.build !== undefined);

/** `${NAME:-default}` as compose expands it with NAME unset; a variable without a default would be empty. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(:-([^}]*))?\}/g, (_match, name: string, _fallback, fallback: string | undefined) => {
    if (fallback === undefined) throw new Error(`\${${name}} has no default: compose would start with it empty`);
    return fallback;
  });
}

function environment(service: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, interpolate(String(value))]));
}

/** Runs the app's config reader on `env`, recording which variables it looked at. */
function configOf(appDir: string, env: Record<string, string>): { config: AppConfig; looked: Set<string> } {
  const looked = new Set<string>();
  const recording = new Proxy(env, {
    get: (target, name) => {
      if (typeof name === 'string') looked.add(name);
      return target[name as string];
    },
    has: (target, name) => {
      if (typeof name === 'string') looked.add(name);
      return name in target;
    },
  });
  return { config: readers[appDir]!(recording), looked };
}

const healthPort = (service: Service): number => {
  const url = /http:\/\/127\.0\.0\.1:(\d+)\/api\/health\/ready'/.exec(service.healthcheck?.test.join(' ') ?? '');
  if (url === null) throw new Error('no /api/health/ready healthcheck');
  return Number(url[1]);
};

describe('docker/compose.yaml', () => {
  it('builds every app from the shared Dockerfile, from an app directory with a config reader', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(['chat', 'exchange-api-1', 'exchange-api-2', 'exchange-engine', 'exchange-engine-standby', 'urlshortener', 'user']);
    for (const [, service] of appServices) {
      const { context, dockerfile, args } = service.build!;
      expect(existsSync(resolve(dockerDir, context, dockerfile))).toBe(true);
      expect(Object.keys(readers)).toContain(args?.APP_DIR);
      const pkg = JSON.parse(readFileSync(resolve(dockerDir, context, args!.APP_DIR!, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      expect(pkg.scripts.build).toBeDefined();
    }
    expect(read('Dockerfile')).toContain('CMD ["node", "--enable-source-maps", "dist/main.js"]');
  });

  it("has the image's own healthcheck probe readiness on the port the app listens on", () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \["node", "-e", "fetch\(`http:\/\/127\.0\.0\.1:\$\{process\.env\.PORT \?\? process\.env\.APP_PORT\}\/api\/health\/ready`\)/m);
    expect(dockerfile).toContain('ENV APP_PORT=${APP_PORT}');
    const defaultPort = Number(/^ARG APP_PORT=(\d+)$/m.exec(dockerfile)?.[1]);
    for (const [name, service] of appServices) {
      // Without PORT in its environment the app listens on its own default: APP_PORT must be that.
      const { config } = configOf(service.build!.args!.APP_DIR!, {});
      expect([name, Number(service.build!.args!.APP_PORT ?? defaultPort)]).toEqual([name, config.http.port]);
    }
  });

  it.each(appServices)('%s: its config reader accepts the environment and reads every variable set', (_name, service) => {
    const env = environment(service);
    const { config, looked } = configOf(service.build!.args!.APP_DIR!, env);
    expect(Object.keys(env).filter((name) => !looked.has(name))).toEqual([]);
    expect(config.http.host).toBe('0.0.0.0');
    // The readiness healthcheck and the published port are the port the app listens on; the
    // metrics port is another, and compose publishes only the API port.
    expect(healthPort(service)).toBe(config.http.port);
    for (const mapping of service.ports ?? []) expect(Number(mapping.split(':').at(-1))).toBe(config.http.port);
    expect(config.metrics.port).not.toBe(config.http.port);
  });

  it('points every service URL at a compose service on its port, with a database created for it', () => {
    const created = [...read('postgres/init.sql').matchAll(/CREATE DATABASE (\w+);/g)].map((match) => match[1]);
    const advertised = String(services.kafka!.environment!.KAFKA_ADVERTISED_LISTENERS).replace(/^\w+:\/\//, '');
    for (const [name, service] of appServices) {
      const env = environment(service);
      if (env.DATABASE_URL !== undefined) {
        const url = new URL(env.DATABASE_URL);
        expect([name, url.host]).toEqual([name, 'postgres:5432']);
        expect(created).toContain(url.pathname.slice(1));
        expect(url.username).toBe(services.postgres!.environment!.POSTGRES_USER);
        expect(url.password).toBe(services.postgres!.environment!.POSTGRES_PASSWORD);
      }
      if (env.REDIS_URL !== undefined) expect([name, new URL(env.REDIS_URL).host]).toEqual([name, 'redis:6379']);
      if (env.MONGO_URL !== undefined) expect([name, new URL(env.MONGO_URL).host]).toEqual([name, 'mongo:27017']);
      if (env.KAFKA_BROKERS !== undefined) expect([name, env.KAFKA_BROKERS.split(',')]).toEqual([name, [advertised]]);
      if (env.AUTH_URL !== undefined) {
        const url = new URL(env.AUTH_URL);
        expect([name, url.hostname, Number(url.port)]).toEqual([name, 'user', userConfigFromEnv(environment(services.user!)).http.port]);
        expect([name, services[name]!.depends_on?.user?.condition]).toEqual([name, 'service_healthy']);
      }
    }
  });

  it('runs chat and the URL shortener against the user app, which alone holds the accounts', () => {
    expect(chatConfigFromEnv(environment(services.chat!)).auth.kind).toBe('remote');
    expect(urlShortenerConfigFromEnv(environment(services.urlshortener!)).auth.kind).toBe('remote');
    expect(userConfigFromEnv(environment(services.user!)).auth.kind).toBe('embedded');
  });

  it('runs the exchange distributed: an engine and its hot standby (each with a history writer), two API replicas, all on one log and one key set', () => {
    const exchange = appServices.filter(([, service]) => service.build!.args!.APP_DIR === 'apps/exchange');
    const configs = exchange.map(([name, service]) => ({ name, config: exchangeConfigFromEnv(environment(service)), env: environment(service) }));
    expect(configs.every(({ config }) => config.mode === 'distributed')).toBe(true);
    expect(configs.filter(({ config }) => config.roles.has('engine')).map(({ name }) => name)).toEqual(['exchange-engine', 'exchange-engine-standby']);
    expect(configs.filter(({ config }) => config.roles.has('history')).map(({ name }) => name)).toEqual(['exchange-engine', 'exchange-engine-standby']);
    expect(configs.filter(({ config }) => config.roles.has('api')).map(({ name }) => name)).toEqual(['exchange-api-1', 'exchange-api-2']);
    for (const { config, env } of configs) {
      expect(config.topics).toEqual(configs[0]!.config.topics);
      expect(config.commandLog).toEqual(configs[0]!.config.commandLog);
      expect(config.keys).toEqual(configs[0]!.config.keys);
      expect(env.DATABASE_URL).toBe(configs[0]!.env.DATABASE_URL);
    }
    // The engine keeps its snapshots on a volume, so a restarted container replays only the tail.
    const engine = configs.find(({ name }) => name === 'exchange-engine')!;
    expect(services['exchange-engine']!.volumes).toContain(`engine-data:${engine.config.dataDir}`);
  });

  it('has every exchange process send its traces to Jaeger over OTLP/HTTP', () => {
    expect(services.jaeger!.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(services.jaeger!.ports).toContain('16686:16686');
    for (const [name, service] of appServices.filter(([, s]) => s.build!.args!.APP_DIR === 'apps/exchange')) {
      const { tracing } = exchangeConfigFromEnv(environment(service));
      expect([name, tracing.exporter, tracing.otlpEndpoint]).toEqual([name, 'otlp', 'http://jaeger:4318']);
    }
  });

  it('waits only on services that have a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect([name, dependency, condition]).toEqual([name, dependency, 'service_healthy']);
        expect([name, dependency, services[dependency]?.healthcheck !== undefined]).toEqual([name, dependency, true]);
      }
    }
  });

  it('has Prometheus scrape every app process on its metrics port, and nothing else', () => {
    const prometheus = parse(read('prometheus/prometheus.yml')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((group) => group.targets)).sort();
    const expected = appServices.map(([name, service]) => `${name}:${configOf(service.build!.args!.APP_DIR!, environment(service)).config.metrics.port}`).sort();
    expect(targets).toEqual(expected);
    expect(services.prometheus!.volumes).toContain('./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
  });

  it('provisions Grafana with the Prometheus service and the dashboard the home page names', () => {
    const datasources = parse(read('grafana/provisioning/datasources/prometheus.yaml')) as { datasources: Array<{ uid: string; url: string }> };
    expect(datasources.datasources[0]!.url).toBe(`http://prometheus:${services.prometheus!.ports![0]!.split(':')[1]}`);
    const providers = parse(read('grafana/provisioning/dashboards/dashboards.yaml')) as { providers: Array<{ options: { path: string } }> };
    const grafana = services.grafana!;
    expect(grafana.volumes).toContain(`./grafana/dashboards:${providers.providers[0]!.options.path}:ro`);
    expect(String(grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH)).toBe(`${providers.providers[0]!.options.path}/exchange.json`);
    const dashboard = JSON.parse(read('grafana/dashboards/exchange.json')) as { panels: Array<{ datasource: { uid: string }; targets: Array<{ expr: string }> }> };
    expect(dashboard.panels.length).toBeGreaterThan(0);
    for (const panel of dashboard.panels) expect(panel.datasource.uid).toBe(datasources.datasources[0]!.uid);
  });
});

describe('docker/Dockerfile', () => {
  it('runs the Node of .nvmrc and installs the pnpm of packageManager, the versions scripts/start installs', () => {
    const node = readFileSync(resolve(repoRoot, '.nvmrc'), 'utf8').trim();
    const { packageManager } = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { packageManager: string };
    const dockerfile = read('Dockerfile');
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1])).toEqual([`node:${node}-bookworm-slim`, `node:${node}-bookworm-slim`]);
    expect(dockerfile).toContain(`npm install -g ${packageManager}`);
  });
});

describe('the integration fixtures (kit/testing)', () => {
  it('start containers of the versions compose runs', () => {
    expect(serviceImages.postgres).toBe(services.postgres!.image);
    expect(serviceImages.redis).toBe(services.redis!.image);
    expect(serviceImages.mongo).toBe(services.mongo!.image);
    // @testcontainers/kafka configures Confluent's image: Confluent Platform 8.1 is Apache Kafka 4.1.
    const apacheKafkaOf: Record<string, string> = { '8.1': '4.1' };
    const confluent = /^confluentinc\/cp-kafka:(\d+\.\d+)\.\d+$/.exec(serviceImages.kafka)?.[1];
    expect(`apache/kafka:${apacheKafkaOf[confluent!]}`).toBe(services.kafka!.image!.replace(/\.\d+$/, ''));
  });
});
