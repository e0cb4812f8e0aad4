import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JobStatus, JoinAsset, JoinSettings, UploadSpec, WebhookSpec } from '@vrs/contracts';
import type { ChildRef, Job, RenderSpec } from '../domain/job';

/** The jobs table, field for field a domain `Job` (the compiler holds them to the same shape). */
@Entity({ name: 'jobs' })
export class JobEntity implements Job {
  @PrimaryColumn({ type: 'text' }) id: string;
  @Index() @Column({ type: 'text', name: 'tenant_id' }) tenantId: string;
  @Index() @Column({ type: 'text', name: 'parent_id', nullable: true }) parentId: string | null;
  @Column({ type: 'text' }) type: 'join' | 'render';
  @Column({ type: 'text' }) status: JobStatus;
  @Column({ type: 'int' }) progress: number;
  @Column({ type: 'int' }) sequence: number;
  @Column({ type: 'text', name: 'output_key' }) outputKey: string;
  @Column({ type: 'text', name: 'uploaded_url', nullable: true }) uploadedUrl: string | null;
  @Column({ type: 'jsonb' }) assets: JoinAsset[];
  @Column({ type: 'jsonb', nullable: true }) settings: JoinSettings | null;
  @Column({ type: 'jsonb', nullable: true }) render: RenderSpec | null;
  @Column({ type: 'jsonb' }) children: ChildRef[];
  @Column({ type: 'jsonb', nullable: true }) upload: UploadSpec | null;
  @Column({ type: 'jsonb', nullable: true }) webhook: WebhookSpec | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) warnings: string[];
  @Column({ type: 'text', name: 'poster_key', nullable: true }) posterKey: string | null;
  @Column({ type: 'text', name: 'thumbnails_key', nullable: true }) thumbnailsKey: string | null;
  @Column({ type: 'double precision', name: 'overlap_sec', nullable: true }) overlapSec: number | null;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt: Date;
  @Column({ type: 'timestamptz', name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt: Date | null;
  @Column({ type: 'timestamptz', name: 'error_at', nullable: true }) errorAt: Date | null;
  @Column({ type: 'int', default: 0 }) redrives: number;
  @Column({ type: 'timestamptz', name: 'driven_at', nullable: true }) drivenAt: Date | null;
  @Index() @Column({ type: 'timestamptz', name: 'deadline_at', nullable: true }) deadlineAt: Date | null;
}
