import type { HubConfig } from '../../../../libs/config/src';

/**
 * busboy limits for the buffered multipart doors (uReports, attachments, CEP reports): one file
 * no larger than a body may be, a few small fields. Multer stops reading at the limit (413),
 * instead of buffering the whole part first.
 */
export function multipartLimits(config: HubConfig) {
  return { fileSize: config.http.maxBodyBytes, files: 1, fields: 16, parts: 17, fieldSize: 64 * 1024, headerPairs: 64 };
}
