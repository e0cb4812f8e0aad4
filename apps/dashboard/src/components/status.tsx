import type { ComponentChildren } from 'preact';
import type { JobStatus } from '../api/types';
import { STATUS_LOOK, type Tone } from '../job-status';

/** A state as colour and word together, so it reads without colour too. */
export function StatusBadge({ status }: { status: JobStatus }) {
  const look = STATUS_LOOK[status] ?? { label: status, tone: 'waiting' as Tone, hint: '' };
  return (
    <span class={`badge badge--${look.tone}`} data-status={status} title={look.hint}>
      <span class="badge__dot" aria-hidden="true" />
      {look.label}
    </span>
  );
}

export function Tag({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return (
    <span class={`badge badge--${tone}`}>
      <span class="badge__dot" aria-hidden="true" />
      {children}
    </span>
  );
}

/** A labelled progress bar with its number beside it. */
export function ProgressBar({ value, label, tone }: { value: number; label: string; tone?: Tone }) {
  const percent = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div class={`progress progress--${tone ?? 'active'}`}>
      <progress max={100} value={percent} aria-label={label}>
        {percent}%
      </progress>
      <span class="progress__value">{percent}%</span>
    </div>
  );
}
