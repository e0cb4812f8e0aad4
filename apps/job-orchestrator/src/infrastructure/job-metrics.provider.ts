import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { watchJobs } from './job-metrics';

/** Binds the job gauges to this service's database once it is up. */
@Injectable()
export class JobMetrics implements OnApplicationBootstrap {
  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    watchJobs(this.dataSource);
  }
}
