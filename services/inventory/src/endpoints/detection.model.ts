import { defineModel, type RecordOf } from '@warden/platform';

/**
 * Every detection an agent reported, stored once: `_id` is derived from the
 * device and the agent's own id, so a repeat is refused by `_id` (the one
 * index mongo-java-server reliably uses) and counted as a duplicate.
 */
export const DetectionModel = defineModel('Detection', 'detections', {
  _id: { type: String, required: true },
  consoleId: { type: String, required: true },
  siteId: { type: String, required: true },
  deviceId: { type: String, required: true },
  agentDetectionId: { type: String, required: true },
  threatName: { type: String, required: true },
  path: { type: String, required: true },
  hash: { type: String, required: true },
  actionTaken: { type: String, required: true },
  detectedAt: { type: Date, required: true },
  receivedAt: { type: Date, required: true },
});
export type DetectionRecord = RecordOf<typeof DetectionModel>;
