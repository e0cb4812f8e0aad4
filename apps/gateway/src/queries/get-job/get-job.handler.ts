import { Inject, Injectable } from '@nestjs/common';
import { JOB_VIEWS, type JobRecord, type JobViews } from '../../application/ports/job-views.port';
import { ApiError } from '../../http/api-error';

@Injectable()
export class GetJobHandler {
  constructor(@Inject(JOB_VIEWS) private readonly views: JobViews) {}

  /** Another tenant's job answers 404, exactly like an unknown id. */
  async job(tenantId: string, id: string): Promise<JobRecord> {
    const job = await this.views.get(tenantId, id);
    if (!job) throw ApiError.notFound(`Job ${id}`);
    return job;
  }

  /** The job's log, one line per step: `<time> <line>`. */
  async log(tenantId: string, id: string): Promise<string> {
    await this.job(tenantId, id);
    const lines = await this.views.logLines(id);
    return lines.map((entry) => `${new Date(entry.at).toISOString()} ${entry.line}`).join('\n') + '\n';
  }
}
