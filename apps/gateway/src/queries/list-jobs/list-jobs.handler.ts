import { Inject, Injectable } from '@nestjs/common';
import { JOB_VIEWS, type JobRecord, type JobViews, type ListQuery } from '../../application/ports/job-views.port';

@Injectable()
export class ListJobsHandler {
  constructor(@Inject(JOB_VIEWS) private readonly views: JobViews) {}

  handle(query: ListQuery): Promise<JobRecord[]> {
    return this.views.list(query);
  }
}
