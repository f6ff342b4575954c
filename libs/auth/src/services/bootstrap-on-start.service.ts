import { AppConfig } from '@app/config';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { OrganizationBootstrapService } from './organization-bootstrap.service';

/** First start of the api on an empty database: make it usable at once. */
@Injectable()
export class BootstrapOnStartService implements OnApplicationBootstrap {
  constructor(
    private readonly bootstrap: OrganizationBootstrapService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.auth.bootstrapOnStart) await this.bootstrap.bootstrapIfEmpty();
  }
}
