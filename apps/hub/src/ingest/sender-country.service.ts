import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Request } from 'express';
import type { HubConfig } from '../../../../libs/config/src';
import { type CountryLookup, openCountryLookup } from '../../../../libs/geo-country/src';
import { HUB_CONFIG } from '../config/hub-config.provider';

/** Country of a report's sender, derived at ingestion; the address itself is never kept or logged. */
@Injectable()
export class SenderCountryService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SenderCountryService.name);
  private lookup: CountryLookup | null = null;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  async onModuleInit(): Promise<void> {
    this.lookup = await openCountryLookup(this.config.geoipDbPath);
    this.logger.log(this.config.geoipDbPath ? `sender country from ${this.config.geoipDbPath}` : 'sender country lookup off');
  }

  onModuleDestroy(): void {
    this.lookup?.close?.();
  }

  /**
   * req.ip honours X-Forwarded-For only as far as Express's 'trust proxy' setting (TRUSTED_PROXIES)
   * allows, so a sender outside those proxies cannot forge its country with the header.
   */
  countryOf(req: Request): string | null {
    return this.lookup?.countryOf(req.ip) ?? null;
  }
}
