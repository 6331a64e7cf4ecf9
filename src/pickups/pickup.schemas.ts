/**
 * Pickup (农产品上行) schemas: produce to collect at a village station.
 */
import { Destination } from '../parcels/parcel.schemas.ts';
import { z } from '../http/zod.ts';

export const Shipper = z
  .strictObject({
    name: z.string().trim().min(1).max(64).openapi({ example: '李四合作社' }),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{4,19}$/, 'expected a phone number')
      .openapi({ example: '13900001234' }),
  })
  .openapi('Shipper', { description: 'Who hands the produce over; never logged and never returned.' });

export const CreatePickup = z
  .strictObject({
    station: Destination.openapi({ description: 'Where to collect: a station code, names or coordinates' }),
    weightG: z.int().min(1).max(5_000_000).optional().openapi({ description: 'Weight in grams (or give weightKg)' }),
    weightKg: z
      .number()
      .positive()
      .max(5_000)
      // Stored in whole grams: a weight that rounds to 0 g would be a pickup of nothing.
      .refine((kg) => Math.round(kg * 1000) >= 1, 'rounds to 0 g; at least 0.001 kg')
      .optional()
      .openapi({ example: 120 }),
    volumeCm3: z.int().min(1).max(50_000_000).optional(),
    volumeM3: z.number().positive().max(50).optional().openapi({ example: 0.4 }),
    pieces: z.int().min(1).max(10_000).default(1),
    coldChain: z.boolean().default(false),
    readyDate: z.iso.date().openapi({ example: '2026-12-01' }),
    shipper: Shipper,
    description: z.string().trim().max(200).optional().openapi({ example: '沁州黄小米 40 袋' }),
    reference: z
      .string()
      .regex(/^[\x21-\x7e]{1,64}$/, 'expected 1 to 64 printable ASCII characters without spaces')
      .optional()
      .openapi({
        example: 'ZTO-PU-20261201-0042',
        description: 'Your own order number for this pickup. Sending the same reference again returns the pickup already made (200) if the body is the same, 409 if it differs.',
      }),
  })
  .superRefine((p, ctx) => {
    if ((p.weightG === undefined) === (p.weightKg === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['weightG'], message: 'give exactly one of weightG, weightKg' });
    }
    if ((p.volumeCm3 === undefined) === (p.volumeM3 === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['volumeCm3'], message: 'give exactly one of volumeCm3, volumeM3' });
    }
  })
  .openapi('CreatePickup');
export type CreatePickup = z.infer<typeof CreatePickup>;

export const Pickup = z
  .object({
    id: z.uuid(),
    courier: z.string().nullable(),
    stationCode: z.string(),
    status: z.enum(['requested', 'planned', 'picked_up', 'failed', 'cancelled']),
    weightG: z.int(),
    volumeCm3: z.int(),
    pieces: z.int(),
    coldChain: z.boolean(),
    readyDate: z.string(),
    description: z.string().nullable(),
    reference: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Pickup');
export type Pickup = z.infer<typeof Pickup>;

export const PickupParams = z.strictObject({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
});
