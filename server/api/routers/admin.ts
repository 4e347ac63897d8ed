// Admin procedures: every one behind adminProcedure (role read from the database), each a thin adapter
// over server/domain. Changes are audited by the domain functions themselves.
import { octetInputParser } from "@trpc/server/http";
import { z } from "zod";
import { ZId } from "../../domain/ids.ts";
import {
  createConcert,
  createShowtime,
  getAdminShowtime,
  listAdminConcerts,
  setConcertStatus,
  setSectionTier,
  setShowtimeStatus,
  updateConcert,
  updateShowtime,
  ZConcertInput,
  ZCreateShowtimeInput,
  ZUpdateShowtimeInput,
} from "../../domain/admin/catalog.ts";
import { listAudit, ZAuditListInput } from "../../domain/admin/audit.ts";
import { getDashboard, ZDashboardInput } from "../../domain/admin/dashboard.ts";
import { getOnSaleStats } from "../../domain/admin/onsale.ts";
import { searchOrders, ZOrderSearchInput } from "../../domain/admin/orders.ts";
import {
  createChannel,
  issueApiKey,
  listChannels,
  revokeApiKey,
  ZCreateChannelInput,
  ZIssueKeyInput,
} from "../../domain/channels/channels.ts";
import { refundOrder } from "../../domain/checkout/refund.ts";
import { storePoster } from "../../domain/posters/posters.ts";
import { ZRefundReason } from "../../domain/checkout/refund-reason.ts";
import {
  addToPresaleList,
  createPresaleCodes,
  getPresaleAdmin,
  removeFromPresaleList,
  revokePresaleCode,
  updatePresaleSettings,
  ZCreatePresaleCodesInput,
  ZPresaleListInput,
  ZPresaleListRemoveInput,
  ZPresaleSettingsInput,
} from "../../domain/presale/presale.ts";
import { getOrder } from "../../domain/tickets/tickets.ts";
import { createVenue, listVenues, ZCreateVenueInput } from "../../domain/venues/venues.ts";
import { adminProcedure, createTRPCRouter } from "../trpc.ts";

export const adminRouter = createTRPCRouter({
  venues: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listVenues({ db: ctx.db })),
    create: adminProcedure.input(ZCreateVenueInput).mutation(({ ctx, input }) => createVenue(input, { db: ctx.db, actorId: ctx.user.id })),
  }),

  concerts: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listAdminConcerts({ db: ctx.db })),
    create: adminProcedure.input(ZConcertInput).mutation(({ ctx, input }) => createConcert(input, ctx.user.id, { db: ctx.db })),
    update: adminProcedure
      .input(z.strictObject({ concertId: ZId, patch: ZConcertInput.partial() }))
      .mutation(({ ctx, input }) => updateConcert(input.concertId, input.patch, ctx.user.id, { db: ctx.db })),
    setStatus: adminProcedure
      .input(z.strictObject({ concertId: ZId, status: z.enum(["PUBLISHED", "CANCELLED"]) }))
      .mutation(({ ctx, input }) => setConcertStatus(input.concertId, input.status, ctx.user.id, { db: ctx.db })),
    /** A poster file as the request's body (application/octet-stream); its path goes in the concert's imageUrl. */
    uploadPoster: adminProcedure.input(octetInputParser).mutation(({ input }) => storePoster(input)),
  }),

  /** The dashboard's home: revenue per currency and the showtimes asked for. */
  dashboard: adminProcedure.input(ZDashboardInput).query(({ ctx, input }) => getDashboard(input, { db: ctx.db })),

  /** Who is asking: the dashboard's cheap role check (the procedure itself is the check). */
  whoami: adminProcedure.query(({ ctx }) => ({ id: ctx.user.id, email: ctx.user.email, name: ctx.user.name })),

  showtimes: createTRPCRouter({
    byId: adminProcedure
      .input(z.strictObject({ showtimeId: ZId }))
      .query(({ ctx, input }) => getAdminShowtime(input.showtimeId, { db: ctx.db })),
    create: adminProcedure.input(ZCreateShowtimeInput).mutation(({ ctx, input }) => createShowtime(input, ctx.user.id, { db: ctx.db })),
    update: adminProcedure
      .input(z.strictObject({ showtimeId: ZId, patch: ZUpdateShowtimeInput }))
      .mutation(({ ctx, input }) => updateShowtime(input.showtimeId, input.patch, ctx.user.id, { db: ctx.db })),
    setStatus: adminProcedure
      .input(z.strictObject({ showtimeId: ZId, status: z.enum(["PUBLISHED", "CANCELLED"]) }))
      .mutation(({ ctx, input }) => setShowtimeStatus(input.showtimeId, input.status, ctx.user.id, { db: ctx.db })),
    setSectionTier: adminProcedure
      .input(z.strictObject({ showtimeId: ZId, sectionId: ZId, priceTierId: ZId }))
      .mutation(({ ctx, input }) => setSectionTier(input, ctx.user.id, { db: ctx.db })),
    /** The live on-sale view's numbers; the page polls it (one tick of the waiting room is ≥ 200 ms). */
    live: adminProcedure
      .input(z.strictObject({ showtimeId: ZId }))
      .query(({ ctx, input }) => getOnSaleStats(input.showtimeId, { db: ctx.db })),
  }),

  /** Who may buy in a showtime's presale: its codes and its list of emails. */
  presale: createTRPCRouter({
    get: adminProcedure
      .input(z.strictObject({ showtimeId: ZId }))
      .query(({ ctx, input }) => getPresaleAdmin(input.showtimeId, { db: ctx.db })),
    updateSettings: adminProcedure
      .input(ZPresaleSettingsInput)
      .mutation(({ ctx, input }) => updatePresaleSettings(input, ctx.user.id, { db: ctx.db })),
    createCodes: adminProcedure
      .input(ZCreatePresaleCodesInput)
      .mutation(({ ctx, input }) => createPresaleCodes(input, ctx.user.id, { db: ctx.db })),
    revokeCode: adminProcedure
      .input(z.strictObject({ codeId: ZId }))
      .mutation(({ ctx, input }) => revokePresaleCode(input.codeId, ctx.user.id, { db: ctx.db })),
    addToList: adminProcedure.input(ZPresaleListInput).mutation(({ ctx, input }) => addToPresaleList(input, ctx.user.id, { db: ctx.db })),
    removeFromList: adminProcedure
      .input(ZPresaleListRemoveInput)
      .mutation(({ ctx, input }) => removeFromPresaleList(input, ctx.user.id, { db: ctx.db })),
  }),

  orders: createTRPCRouter({
    search: adminProcedure.input(ZOrderSearchInput).query(({ ctx, input }) => searchOrders(input, { db: ctx.db })),
    byId: adminProcedure
      .input(z.strictObject({ orderId: ZId }))
      .query(({ ctx, input }) => getOrder(input.orderId, { userId: ctx.user.id, asAdmin: true }, { db: ctx.db })),
    /** A refund on the fan's behalf: the fan's rules and ledger, audited with the admin's id and reason. */
    refund: adminProcedure
      .input(z.strictObject({ orderId: ZId, reason: ZRefundReason }))
      .mutation(({ ctx, input }) =>
        refundOrder(input.orderId, { userId: ctx.user.id, asAdmin: true, reason: input.reason }, { db: ctx.db }),
      ),
  }),

  channels: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listChannels({ db: ctx.db })),
    create: adminProcedure.input(ZCreateChannelInput).mutation(({ ctx, input }) => createChannel(input, ctx.user.id, { db: ctx.db })),
    issueKey: adminProcedure.input(ZIssueKeyInput).mutation(({ ctx, input }) => issueApiKey(input, ctx.user.id, { db: ctx.db })),
    revokeKey: adminProcedure
      .input(z.strictObject({ keyId: ZId }))
      .mutation(({ ctx, input }) => revokeApiKey(input.keyId, ctx.user.id, { db: ctx.db })),
  }),

  audit: adminProcedure.input(ZAuditListInput).query(({ ctx, input }) => listAudit(input, { db: ctx.db })),
});
