import { z } from 'zod';

/** Every entity id: a UUID (version 7 from `newId`, so ids sort by creation time). */
export const idSchema = z.string().uuid();
