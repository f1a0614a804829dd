// Hive Gateway's configuration for scripts/federation.sh (`hive-gateway supergraph FILE -c
// this`): `@defer` and `@stream` for the clients that ask for them; the subgraphs need not
// support them, the gateway splits the plan and streams the parts (multipart/mixed).
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  deferStream: true,
  logging: 'warn',
});
