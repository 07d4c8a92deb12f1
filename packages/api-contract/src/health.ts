import { Type, type Static } from '@sinclair/typebox';

/** `GET /health`: the process is up and serving. */
export const HealthSchema = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });

/** The body of `GET /health`. */
export type Health = Static<typeof HealthSchema>;
