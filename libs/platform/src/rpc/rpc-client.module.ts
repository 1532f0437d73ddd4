import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { NatsRpcClient } from './nats-rpc-client';

@Injectable()
class RpcClientCloser implements OnApplicationShutdown {
  constructor(@Inject(NatsRpcClient) private readonly client: NatsRpcClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/** Makes a connected NatsRpcClient injectable by its class. */
@Module({})
export class RpcClientModule {
  static forRoot(options: { url: string; name: string; timeoutMs: number }): DynamicModule {
    return {
      module: RpcClientModule,
      global: true,
      providers: [
        { provide: NatsRpcClient, useFactory: () => NatsRpcClient.connect(options) },
        RpcClientCloser,
      ],
      exports: [NatsRpcClient],
    };
  }
}
