import type { InjectedAsset } from '../assets/asset-schema';
import type { RenderSettings } from '../settings/render-settings';
import type { Composition, NexrenderTemplate } from '../template/template-schema';

/**
 * Downloads a remote media URL to a local file. Injected by the caller, which owns the safe
 * downloader (allow-lists, size limits, no private addresses); drivers never open URLs themselves.
 */
export type FetchMedia = (url: string, destPath: string) => Promise<void>;

/** Everything a driver needs to render one composition. */
export interface RenderRequest {
  templateName: string;
  compositionName: string;
  /** The composition with the job's assets already injected. */
  composition: Composition;
  /** The injected assets as given, for drivers that inject them themselves (nexrender). */
  assets: InjectedAsset[];
  settings: RenderSettings;
  /** The template's After Effects settings, when it has them. */
  nexrender?: NexrenderTemplate;
  fetchMedia: FetchMedia;
}

export interface RenderContext {
  /** A private, existing directory for this render; the output is written inside it. */
  workDir: string;
  signal: AbortSignal;
  /** 0..1 */
  onProgress(fraction: number): void;
}

export interface RenderResult {
  outputPath: string;
  durationSec: number;
}

export interface RenderDriver {
  readonly name: string;
  render(request: RenderRequest, ctx: RenderContext): Promise<RenderResult>;
}
