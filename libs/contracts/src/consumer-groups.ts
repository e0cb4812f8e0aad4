/**
 * The Kafka consumer group of each service: the offsets it commits are stored under this exact name
 * (the Nest transport is told not to append its `-server` postfix), and the KEDA ScaledObjects in
 * deploy/k8s read the lag of the same names.
 */
export const CONSUMER_GROUPS = {
  gateway: 'gateway',
  orchestrator: 'job-orchestrator',
  renderAdapter: 'render-adapter',
  stitcher: 'stitcher',
  notifier: 'notifier',
} as const;
