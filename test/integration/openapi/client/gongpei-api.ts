// Generated from /openapi.json by openapi-typescript (npm run openapi:types). Do not edit.
export interface paths {
    "/v1/parcels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List parcels
         * @description A page of parcels, newest first, filtered by status, local day, courier or station; `next` is the cursor of the following page.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["listParcels"];
        put?: never;
        /**
         * Submit one parcel, or a batch
         * @description Submit one parcel, or up to 1,000 as `{"parcels": [...]}` (all or nothing). Idempotent on courier + waybill: the same parcel again answers 200 with the parcel already accepted. A 2xx means the parcel is committed.
         *
         *     API keys: courier.
         */
        post: operations["createParcels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/parcels/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit parcels as CSV
         * @description A CSV with a header row (columns: waybill, stationCode, township, village, lat, lon, weightG, lengthCm, widthCm, heightCm, coldChain, fragile, codAmountFen, recipientName, recipientPhone, promisedDate). The same rules as a JSON batch; errors carry line numbers.
         *
         *     API keys: courier.
         */
        post: operations["importParcels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/parcels/{waybill}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A parcel with its events
         * @description Status and events of a parcel. A courier key sees only its own; dispatcher and admin keys say whose waybill with `courier`.
         *
         *     API keys: courier, dispatcher, admin.
         */
        get: operations["getParcel"];
        put?: never;
        post?: never;
        /**
         * Cancel a parcel
         * @description Cancel a parcel before it is planned; cancelling again answers the cancelled parcel.
         *
         *     API keys: courier.
         */
        delete: operations["cancelParcel"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pickups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Request a produce pickup
         * @description Request a produce pickup (农产品上行) at a station. With a `reference`, the same reference and body again answer 200 with the pickup already made.
         *
         *     API keys: courier, dispatcher, admin.
         */
        post: operations["createPickup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pickups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A pickup
         * @description A pickup and its status; a courier key sees only its own.
         *
         *     API keys: courier, dispatcher, admin.
         */
        get: operations["getPickup"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List plans
         * @description Plans, newest first; `date` keeps one service date’s.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["listPlans"];
        put?: never;
        /**
         * Ask for a day’s plan
         * @description Plans the service date in the background (the workers). The first request makes version 1; asking again makes the next version (a new id linked to the one it replaces): routes with driver events keep every stop up to their last event and continue from there, the rest (late parcels, a broken-down vehicle’s stops) is re-optimised. A version already queued or running is returned as it is (`started: false`): one run per date at a time. The date must lie within today − 7 … today + 14 (local). Follow it at the `Location`.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["requestPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish a plan to its drivers
         * @description draft → published: the drivers see the plan. Publishing again answers the plan as it is.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["publishPlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Close the day
         * @description published | in_progress → closed: the day’s KPIs are computed once and frozen (statistics and the dashboard answer from the snapshot ever after), returns that rode the day’s line-haul are handed back to their couriers, and parcels nobody reported go back to the pool for the next day.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["closePlan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/vehicles/{vehicleId}/breakdowns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report a vehicle broken down
         * @description The vehicle broke down on a service date: the next re-plan (POST /v1/plans) keeps its route up to its last event and moves its remaining stops to other vehicles.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["reportBreakdown"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A plan and its progress
         * @description Status, progress, step timings and, when completed, its counts.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["getPlan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}/routes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A plan’s routes
         * @description Every route of the plan (line-haul and village) with its stops in order, times and loads; empty until the plan completes.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["getPlanRoutes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}/routes.geojson": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A plan’s routes, for maps
         * @description One LineString per route (its stops in order, straight segments) and one Point per stop.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["getPlanRoutesGeoJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}/savings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What co-delivery saved
         * @description The completed plan against every courier planning alone: routes, km, vehicle-days, driver hours, cost and CO₂.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["getPlanSavings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}/edits/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What a manual route edit would cost
         * @description Moves stops between village routes of one hub or within a route, and evaluates the routes before and after with the routing core’s evaluator (no search): km, duration, cost at the fleet’s rates, load, and every rule the new order breaks (capacity, station hours, the vehicle’s range, back after the day ends, cold chain). Stores nothing.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["previewRouteEdit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}/edits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Save a manual route edit as a new plan version
         * @description Evaluates the edit as the preview does and saves it as the date’s next version, linked to the one it replaces (`replacesPlanId`); every route moves to it with its id, so drivers’ manifests show the new order. Stops keep their ids; nothing a driver reported is touched. An edit that breaks a rule is refused unless `acceptViolations`.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["saveRouteEdit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Statistics over a date range
         * @description Parcels by courier, township, day and status, and each day’s current plan figures, from `from` to `to` (local days, inclusive; default the operating day). A closed day answers from the snapshot frozen when it closed.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["getStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/network.geojson": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The network, for maps
         * @description County outline, township areas, hubs and stations as one FeatureCollection; each feature’s `layer` property says which.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["getNetworkGeoJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/dashboard/kpis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A plan’s KPIs
         * @description Parcels by courier and township, pickups, unassigned by reason, delivery progress and the on-time share.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["getPlanKpis"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dashboard-config.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The dashboard’s settings
         * @description What the dashboard page needs before it draws: the tile URL (if any) and the local time offset.
         */
        get: operations["getDashboardConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/manifests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A day’s manifests
         * @description The routes of a service day with links to their manifests; a driver key sees its own routes.
         *
         *     API keys: driver, dispatcher, admin.
         */
        get: operations["listManifests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/manifests/{routeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A route’s manifest
         * @description Stops in order with ETA, the parcels to drop, the pickups to collect, and the loading order.
         *
         *     API keys: driver, dispatcher, admin.
         */
        get: operations["getManifest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/manifests/{routeId}.html": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A route’s manifest, printable
         * @description The same manifest as an A4 HTML page with a QR code per stop, for printing.
         *
         *     API keys: driver, dispatcher, admin.
         */
        get: operations["getPrintableManifest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/manifests/{routeId}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A link to a route’s printable manifest
         * @description A short-lived URL (`/manifest?token=…`) that opens the printable manifest in any browser without a key: to open in a new tab, copy into a message, or open on the driver’s phone. It reads the manifest as the key that made it (a driver’s link: only their own route, and no longer than their phone session); revoking that key ends it.
         *
         *     API keys: driver, dispatcher, admin.
         */
        post: operations["createManifestLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stations/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set a station’s keeper and phone, or move it to its true position
         * @description The station keeper (站长) and their phone, printed on manifests and dialled from the driver view. A field left out stays as it is; null clears it. With `position` (and a `reason`), the station moves there: its position becomes `corrected`, the move is kept in its audit trail (GET /v1/stations/{code}/moves), and the road distances to and from it are asked for again on the next plan.
         *
         *     API keys: dispatcher, admin.
         */
        patch: operations["updateStation"];
        trace?: never;
    };
    "/v1/stations/{code}/moves": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A station’s moves: who moved it, when, from where to where, and why
         * @description The audit trail of the station’s position fixes, oldest first.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["listStationMoves"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stops/{stopId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report what happened at a stop
         * @description arrived, delivered, failed (with a reason) or picked_up, for some or all of the stop’s parcels and pickups. Recording what is already in effect changes nothing (a replay). Couriers see the new status at GET /v1/parcels/{waybill} and on their webhook.
         *
         *     API keys: driver.
         */
        post: operations["recordStopEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This courier’s webhook in a county
         * @description The webhook URL in the key’s county (a key of several counties names `county`) and whether a secret is set; another county’s webhook is never shown.
         *
         *     API keys: courier.
         */
        get: operations["getWebhook"];
        /**
         * Set this courier’s webhook in a county
         * @description Where to send this courier’s parcel and pickup status changes in one county (the key’s; a key of several counties names `county`), and the secret that signs them (stored encrypted). X-Gongpei-Signature: sha256=HMAC_SHA256(secret, "<X-Gongpei-Timestamp>.<raw body>") in hex. The URL must reach a public address: a host that is or resolves to a loopback, private, link-local (metadata), unique-local or other special-purpose address, in any spelling, and a URL with a user name or password are refused (400); production accepts https only.
         *
         *     API keys: courier.
         */
        put: operations["setWebhook"];
        post?: never;
        /**
         * Stop this courier’s webhook in a county
         * @description Removes the URL and the secret in the key’s county (a key of several counties names `county`): no more of that county’s status changes are sent. Other counties’ webhooks stay.
         *
         *     API keys: courier.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/drivers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List drivers
         * @description Every driver; with `date`, also each one’s vehicle, last sign-in and routes with when they were first opened.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["listDrivers"];
        put?: never;
        /**
         * Add a driver
         * @description A new driver (active unless said otherwise); `Location` is the driver.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["addDriver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/drivers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Activate or deactivate a driver
         * @description Deactivating revokes the driver’s sign-in links and phone sessions.
         *
         *     API keys: dispatcher, admin.
         */
        patch: operations["setDriverActive"];
        trace?: never;
    };
    "/v1/driver-assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who drives which vehicle on a date
         * @description The driver of each vehicle on the service date.
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["listDriverAssignments"];
        /**
         * Put a driver on a vehicle for a date
         * @description Replaces the vehicle’s driver that day (`driverId: null` takes them off); that day’s routes of the vehicle follow.
         *
         *     API keys: dispatcher, admin.
         */
        put: operations["assignDriver"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/drivers/{id}/sign-in-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A sign-in link for a driver’s phone
         * @description A short-lived, single-use link and its QR code, bound to the driver and the date. Shown once.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["createDriverSignInLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/driver-links/{linkId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a sign-in link
         * @description Revokes the link and the phone sessions made from it.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["revokeDriverSignInLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/drivers/{id}/revoke-sign-ins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke all of a driver’s sign-ins
         * @description Revokes every sign-in link of the driver and every phone session made from them.
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["revokeDriverSignIns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/driver-sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign a driver’s phone in
         * @description Exchanges a sign-in link’s token for the phone’s session credential. No API key: the single-use token is the proof.
         */
        post: operations["createDriverSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settlements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Settlement (结算) of a day or a month
         * @description Of a day (`date`) or a month (`month`): each courier’s Shapley share of the joint cost, beside its stand-alone cost on the same work; frozen when the day closes, provisional before. A courier key sees its own line.
         *
         *     API keys: dispatcher, admin, courier.
         */
        get: operations["getSettlement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}/settlement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A plan’s settlement
         * @description The settlement computed with a completed plan (provisional until its day closes).
         *
         *     API keys: dispatcher, admin.
         */
        get: operations["getPlanSettlement"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/solve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Solve a routing problem given in VROOM’s format
         * @description VROOM-compatible: jobs, shipments, vehicles and per-profile matrices (or the deprecated single `matrix`) in, `code` / `summary` / `routes` / `unassigned` out (VROOM’s docs/API.md). Extensions: vehicles’ `max_trips`, `reload_time` (multi-trip; steps of type `reload`) and `release_time`; `threads` (parallel searches, at most SOLVE_THREADS); `reason` on unassigned tasks; `summary.iterations`. A VROOM field gongpei does not model (breaks, max_travel_time, vehicle steps, per-type times, …) is a 400 naming it, never ignored; Coordinates without `matrices` are routed on the configured OSRM (OSRM_URL, profile car); without OSRM they are a 400 naming `matrices`. Solved under a work budget (SOLVE_ITERATIONS solver iterations, seed 1).
         *
         *     API keys: dispatcher, admin.
         */
        post: operations["solveVroomProblem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/counties": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The counties this key covers
         * @description The imported counties the key may see and act in (every county for a key of every county), by code.
         *
         *     API keys: courier, dispatcher, admin.
         */
        get: operations["listCounties"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/networks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import or re-import a county’s network
         * @description Townships, hubs, stations (official codes, WGS84 or GCJ-02 positions, hours, keepers), fleet and couriers, as the files of docs/network-format.md. Validated as a whole (400 names `file:row:field` for every problem), written in one transaction, updated in place by code on a re-import; nothing is deleted.
         *
         *     API keys: admin.
         */
        post: operations["importNetwork"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description Answers while the process serves requests.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description The database is required; without Redis the API is degraded but intake still accepts (the outbox keeps every job). Public for probes, which get `ok` (200) or `unavailable` (503) and nothing more; an admin key (Bearer) also gets `degraded` and the check of each dependency.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Request counts and latencies, outbox backlog and queue depths, in the Prometheus text exposition format.
         *
         *     API keys: admin.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description The OpenAPI 3.1 document of this API (Swagger UI at /docs).
         */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            error: {
                /**
                 * @example invalid_data
                 * @enum {string}
                 */
                code: "invalid_data" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "unprocessable" | "payload_too_large" | "rate_limited" | "unavailable" | "unsupported_media_type" | "internal";
                message: string;
                details: components["schemas"]["ErrorDetail"][];
            };
        };
        ErrorDetail: {
            /** @example parcels.3.weightG */
            path: string;
            message: string;
            /** @description CSV line number (1 = the header row), for imports */
            line?: number;
            /** @description Stations an ambiguous destination could mean */
            candidates?: {
                stationCode: string;
                name: string;
                township: string;
            }[];
        };
        Parcel: {
            /** Format: uuid */
            id: string;
            /** @example ZTO */
            courier: string;
            waybill: string;
            /** @enum {string} */
            status: "received" | "sorted" | "planned" | "out_for_delivery" | "delivered" | "failed" | "cancelled" | "return_requested" | "returning" | "returned";
            /**
             * @description Why it is not delivered: the planner’s reason (left unassigned, e.g. `capacity`), the driver’s (failed), or the return’s cause
             * @example 收件人不在家
             */
            statusReason: string | null;
            /** @description Failed delivery attempts so far */
            attempts: number;
            /** @example 140430106201 */
            stationCode: string;
            /** @description The destination exactly as submitted */
            destination: {
                [key: string]: unknown;
            };
            weightG: number;
            /** @description Length, width, height in cm */
            dimensionsCm: [
                number,
                number,
                number
            ] | null;
            volumeCm3: number;
            coldChain: boolean;
            fragile: boolean;
            codAmountFen: number;
            promisedDate: string | null;
            receivedAt: string;
            updatedAt: string;
        };
        ParcelBatchResult: {
            /** @description Parcels new in this request */
            created: number;
            /** @description Identical replays of parcels already accepted */
            existing: number;
            parcels: components["schemas"]["Parcel"][];
        };
        CreateParcel: {
            /** @example ZT7512345678 */
            waybill: string;
            destination: components["schemas"]["Destination"];
            /** @example 1200 */
            weightG: number;
            /**
             * @description Length, width, height in cm
             * @example [
             *       30,
             *       20,
             *       15
             *     ]
             */
            dimensionsCm?: [
                number,
                number,
                number
            ];
            /** @description Default: `false`. */
            coldChain?: boolean;
            /** @description Default: `false`. */
            fragile?: boolean;
            /** @description Cash on delivery, in fen (1/100 yuan). Default: `0`. */
            codAmountFen?: number;
            recipient: components["schemas"]["Recipient"];
            /**
             * Format: date
             * @example 2026-12-01
             */
            promisedDate?: string;
        };
        /** @description Where the parcel goes: `{stationCode}`, `{village}` or `{township, village}` (names), or `{lat, lon}` (WGS84, snapped to the nearest station). */
        Destination: components["schemas"]["DestinationByStation"] | components["schemas"]["DestinationByNames"] | components["schemas"]["DestinationByPoint"];
        /** @description A station (village) by its 12-digit code */
        DestinationByStation: {
            /** @example 140430106201 */
            stationCode: string;
        };
        /** @description A village by name; the township tells apart villages of the same name */
        DestinationByNames: {
            /** @example 沁州黄镇 */
            township?: string;
            /** @example 次村 */
            village: string;
        };
        /** @description WGS84 coordinates, snapped to the nearest station */
        DestinationByPoint: {
            /**
             * @description WGS84 latitude
             * @example 36.699
             */
            lat: number;
            /**
             * @description WGS84 longitude
             * @example 112.819
             */
            lon: number;
        };
        /** @description Stored for delivery; never logged and never returned by the API. */
        Recipient: {
            /** @example 张三 */
            name: string;
            /** @example 13800001234 */
            phone: string;
        };
        CreateParcelBatch: {
            parcels: components["schemas"]["CreateParcel"][];
        };
        ParcelList: {
            parcels: components["schemas"]["Parcel"][];
            next: string | null;
        };
        ParcelWithEvents: components["schemas"]["Parcel"] & {
            events: components["schemas"]["ParcelEvent"][];
        };
        ParcelEvent: {
            /** @example received */
            type: string;
            at: string;
            details?: unknown;
        };
        Pickup: {
            /** Format: uuid */
            id: string;
            courier: string | null;
            stationCode: string;
            /** @enum {string} */
            status: "requested" | "planned" | "picked_up" | "failed" | "cancelled";
            weightG: number;
            volumeCm3: number;
            pieces: number;
            coldChain: boolean;
            readyDate: string;
            description: string | null;
            reference: string | null;
            createdAt: string;
            updatedAt: string;
        };
        CreatePickup: {
            station: components["schemas"]["Destination"] & unknown;
            /** @description Weight in grams (or give weightKg) */
            weightG?: number;
            /** @example 120 */
            weightKg?: number;
            volumeCm3?: number;
            /** @example 0.4 */
            volumeM3?: number;
            /** @description Default: `1`. */
            pieces?: number;
            /** @description Default: `false`. */
            coldChain?: boolean;
            /**
             * Format: date
             * @example 2026-12-01
             */
            readyDate: string;
            shipper: components["schemas"]["Shipper"];
            /** @example 沁州黄小米 40 袋 */
            description?: string;
            /**
             * @description Your own order number for this pickup. Sending the same reference again returns the pickup already made (200) if the body is the same, 409 if it differs.
             * @example ZTO-PU-20261201-0042
             */
            reference?: string;
        };
        /** @description Who hands the produce over; never logged and never returned. */
        Shipper: {
            /** @example 李四合作社 */
            name: string;
            /** @example 13900001234 */
            phone: string;
        };
        PlanRequested: components["schemas"]["Plan"] & {
            /** @description False when a plan for the date was already running: that plan is returned */
            started: boolean;
        };
        Plan: {
            id: string;
            date: string;
            /** @enum {string} */
            status: "queued" | "running" | "completed" | "failed";
            /** @description Percent done, 0–100 */
            progress: number;
            seed: number;
            cutoffAt: string | null;
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
            error: string | null;
            /** @description Milliseconds per pipeline step */
            timings: {
                [key: string]: number;
            } | null;
            /** @description When completed: parcels, pickups, stations served, per-tier figures, metrics, unassigned by reason and by what would serve them (unassignedByRemedy: another_cold_van, second_trip, another_vehicle, larger_vehicle, longer_duty, earlier_line_haul, another_truck_trip, vehicle_at_hub, station_address), and the driver-day figures (duty: longest route, last township out, last back, empty truck km, routes over duty, late townships) */
            counts: {
                [key: string]: unknown;
            } | null;
            /**
             * @description Life-cycle: draft → published (drivers see it) → in_progress (first driver event) → closed (numbers frozen)
             * @enum {string}
             */
            state: "draft" | "published" | "in_progress" | "closed";
            /** @description 1 for the date’s first plan; each re-plan is the next version */
            version: number;
            /** @description The version this one replaces */
            replacesPlanId: string | null;
            /** @description The version that replaced this one (set once it completed) */
            replacedByPlanId: string | null;
            publishedAt: string | null;
            closedAt: string | null;
        };
        CreatePlan: {
            /**
             * Format: date
             * @description The service date (local day) to plan
             * @example 2026-11-29
             */
            date: string;
            /** @description The solver’s seed: the same parcels and seed give the same plan. Default: `1`. */
            seed?: number;
            /**
             * @description The county whose day is planned (its 6-digit code); default: the key’s only county, or Qin County (140430) for a key of every county
             * @example 140430
             */
            county?: string;
        };
        VehicleBreakdown: {
            id: string;
            date: string;
            vehicleId: string;
            at: string;
            note: string | null;
        };
        VehicleBreakdownRequest: {
            /**
             * Format: date
             * @description The service date it broke down on
             * @example 2026-11-29
             */
            date: string;
            /**
             * Format: date-time
             * @description When it broke down (default: now)
             */
            at?: string;
            note?: string;
        };
        PlanList: {
            plans: components["schemas"]["Plan"][];
        };
        PlanRoutes: {
            planId: string;
            date: string;
            /** @enum {string} */
            status: "queued" | "running" | "completed" | "failed";
            routes: components["schemas"]["PlannedRoute"][];
        };
        PlannedRoute: {
            id: string;
            /** @enum {string} */
            tier: "line_haul" | "village";
            hubId: string;
            vehicleId: string;
            vehicleType: string;
            trips: number;
            distanceM: number;
            durationS: number;
            costFen: number;
            startAt: string;
            endAt: string;
            load: {
                peak: number[];
                capacity: number[];
                units: string[];
            };
            stops: {
                /** @description The stop’s id (drivers report events against it; route edits list it) */
                id: string;
                /** @description A driver reported at this stop: it stays where it is in a route edit */
                visited: boolean;
                seq: number;
                /** @enum {string} */
                kind: "start" | "station" | "hub" | "reload" | "end";
                stationCode: string | null;
                hubId: string | null;
                name: string | null;
                lat: number | null;
                lon: number | null;
                trip: number;
                arrivalAt: string;
                departureAt: string;
                deliverCount: number;
                pickupCount: number;
                /** @description On board when leaving, per unit of `load.units` */
                load: number[];
            }[];
        };
        /** @description A GeoJSON FeatureCollection (RFC 7946) */
        FeatureCollection: {
            /** @enum {string} */
            type: "FeatureCollection";
            features: {
                /** @enum {string} */
                type: "Feature";
                geometry: {
                    [key: string]: unknown;
                } | null;
                properties: {
                    [key: string]: unknown;
                } | null;
            }[];
        };
        PlanSavings: {
            planId: string;
            date: string;
            joint: components["schemas"]["PlanMetrics"];
            separate: components["schemas"]["PlanMetrics"] & unknown;
            perCourier: {
                [key: string]: components["schemas"]["PlanMetrics"];
            };
            /** @description separate − joint */
            saved: {
                routes: number;
                km: number;
                vehicleDays: number;
                driverHours: number;
                costYuan: number;
                co2Kg: number;
            };
            /** @description Saved share of the separate plans’ value, per metric (0–1) */
            savedShare: {
                km: number;
                vehicleDays: number;
                driverHours: number;
                costYuan: number;
                co2Kg: number;
            };
            budget: {
                seed: number;
                timeLimitMs: number;
                maxIterations?: number;
            };
        };
        /** @description The co-delivery plan */
        PlanMetrics: {
            routes: number;
            km: number;
            vehicleDays: number;
            driverHours: number;
            costYuan: number;
            co2Kg: number;
            unassigned: number;
        };
        RouteEditPreview: {
            planId: string;
            version: number;
            hubId: string;
            /** @description Every edited route keeps capacity, station hours, range, the driver’s day (latest return, longest duty) and the cold chain */
            feasible: boolean;
            routes: {
                routeId: string;
                vehicleId: string;
                vehicleName: string;
                before: {
                    feasible: boolean;
                    distanceM: number;
                    durationS: number;
                    /** @description At the fleet’s rates: fixed + per km + per hour (0 for a route left empty) */
                    costFen: number;
                    trips: number;
                    startAt: string;
                    endAt: string;
                    load: {
                        peak: number[];
                        capacity: number[];
                        units: string[];
                    };
                    violations: {
                        /** @enum {string} */
                        kind: "capacity" | "time_window" | "range" | "duration" | "cold_chain";
                        stopId: string | null;
                        stationCode: string | null;
                        stationName: string | null;
                        /** @description What the route would have: a load, a distance or a clock time, in `unit` */
                        value: number | null;
                        /** @description The limit it breaks, in `unit` */
                        limit: number | null;
                        /**
                         * @description `s`: a duration; `local_s`: a clock time, seconds after local midnight
                         * @enum {string|null}
                         */
                        unit: "g" | "cm3" | "pieces" | "m" | "s" | "local_s" | null;
                        /** @description The same in words (English, local clock times) */
                        message: string;
                    }[];
                };
                after: {
                    feasible: boolean;
                    distanceM: number;
                    durationS: number;
                    /** @description At the fleet’s rates: fixed + per km + per hour (0 for a route left empty) */
                    costFen: number;
                    trips: number;
                    startAt: string;
                    endAt: string;
                    load: {
                        peak: number[];
                        capacity: number[];
                        units: string[];
                    };
                    violations: {
                        /** @enum {string} */
                        kind: "capacity" | "time_window" | "range" | "duration" | "cold_chain";
                        stopId: string | null;
                        stationCode: string | null;
                        stationName: string | null;
                        /** @description What the route would have: a load, a distance or a clock time, in `unit` */
                        value: number | null;
                        /** @description The limit it breaks, in `unit` */
                        limit: number | null;
                        /**
                         * @description `s`: a duration; `local_s`: a clock time, seconds after local midnight
                         * @enum {string|null}
                         */
                        unit: "g" | "cm3" | "pieces" | "m" | "s" | "local_s" | null;
                        /** @description The same in words (English, local clock times) */
                        message: string;
                    }[];
                };
                stops: {
                    stopId: string;
                    stationCode: string;
                    name: string | null;
                    trip: number;
                    arrivalAt: string;
                    departureAt: string;
                }[];
            }[];
            /** @description after − before over the edited routes */
            delta: {
                distanceM: number;
                durationS: number;
                costFen: number;
            };
        };
        RouteEdit: {
            /** @description Each route the edit changes, with its new order: every station stop of the listed routes appears exactly once */
            routes: {
                /** @description A village route of this plan */
                routeId: string;
                /** @description Every station stop the route is to drive, in order (its own and those moved to it) */
                stopIds: string[];
            }[];
            /** @description Saving only: save even though the new order breaks a rule the preview reports */
            acceptViolations?: boolean;
        };
        RouteEditSaved: {
            plan: components["schemas"]["Plan"];
            edit: components["schemas"]["RouteEditPreview"];
        };
        Stats: {
            from: string;
            to: string;
            parcels: {
                total: number;
                byCourier: {
                    [key: string]: number;
                };
                byTownship: {
                    [key: string]: number;
                };
                byDay: {
                    [key: string]: number;
                };
                byStatus: {
                    [key: string]: number;
                };
            };
            plans: {
                date: string;
                planId: string;
                status: string;
                state: string;
                routes: number;
                km: number;
                plannedParcels: number;
                onTimeShare: number | null;
            }[];
        };
        PlanKpis: {
            planId: string;
            date: string;
            status: string;
            parcels: {
                total: number;
                byCourier: {
                    [key: string]: number;
                };
                byTownship: {
                    [key: string]: number;
                };
                byStatus: {
                    [key: string]: number;
                };
            };
            pickups: {
                total: number;
                byStatus: {
                    [key: string]: number;
                };
            };
            /** @description By station code: parcels and pickups on the plan’s stops */
            stations: {
                [key: string]: {
                    parcels: number;
                    pickups: number;
                };
            };
            unassigned: {
                total: number;
                byReason: {
                    [key: string]: number;
                };
                /** @description Stations with parcels or pickups the plan could not place, most first; reasons are codes (the dashboard translates them) */
                stations: {
                    code: string;
                    name: string;
                    township: string | null;
                    lat: number;
                    lon: number;
                    parcels: number;
                    pickups: number;
                    byReason: {
                        [key: string]: number;
                    };
                }[];
            };
            delivery: {
                stopsArrived: number;
                delivered: number;
                failed: number;
                failedByReason: {
                    [key: string]: number;
                };
                /** @description Delivered by the promised date (or the service date) ÷ parcels with an outcome; null before any */
                onTimeShare: number | null;
            };
        };
        DashboardConfig: {
            /** @description Map tile URL template; null: no tile layer (the map works offline) */
            tileUrl: string | null;
            /** @example 480 */
            utcOffsetMinutes: number;
        };
        ManifestList: {
            date: string;
            manifests: {
                routeId: string;
                planId: string;
                date: string;
                tier: string;
                driverId: string | null;
                vehicleId: string;
                hubId: string;
                startAt: string;
                endAt: string;
                stops: number;
                links: {
                    json: string;
                    html: string;
                };
            }[];
        };
        Manifest: {
            routeId: string;
            planId: string;
            date: string;
            tier: string;
            driverId: string | null;
            /** @description The driver’s name, as printed; null when the route has no driver on record */
            driverName: string | null;
            vehicle: {
                id: string;
                name: string;
                type: string;
            };
            hub: {
                id: string;
                name: string;
            };
            startAt: string;
            endAt: string;
            distanceKm: number;
            trips: number;
            totals: {
                stops: number;
                parcels: number;
                pickups: number;
                weightG: number;
            };
            stops: {
                stopId: string;
                seq: number;
                /** @description 1…n over the stops the driver serves (stations, other hubs, reloads); null for start and end */
                number: number | null;
                trip: number;
                kind: string;
                eta: string;
                departureAt: string;
                station: {
                    code: string;
                    name: string;
                    township: string | null;
                    keeper: {
                        name: string | null;
                        phone: string | null;
                    };
                } | null;
                hub: {
                    id: string;
                    name: string;
                } | null;
                /** @description WGS84 (GPS) and GCJ-02 (Chinese map apps) coordinates of the stop */
                location: {
                    lat: number;
                    lon: number;
                    gcj02: {
                        lat: number;
                        lon: number;
                    };
                } | null;
                parcels: {
                    waybill: string;
                    courier: string;
                    weightG: number;
                    volumeCm3: number;
                    coldChain: boolean;
                    fragile: boolean;
                    codAmountFen: number;
                    recipient: {
                        name: string;
                        /** @example 138****5678 */
                        phone: string;
                    };
                    status: string;
                    failedReason: string | null;
                }[];
                pickups: {
                    id: string;
                    courier: string | null;
                    shipper: {
                        name: string;
                        phone: string;
                    };
                    description: string | null;
                    weightG: number;
                    volumeCm3: number;
                    pieces: number;
                    coldChain: boolean;
                    status: string;
                }[];
                bins: {
                    courier: string;
                    parcels: number;
                    weightG: number;
                }[];
                pickupsToCollect: number;
                totals: {
                    parcels: number;
                    weightG: number;
                    volumeCm3: number;
                    codFen: number;
                    pickups: number;
                };
            }[];
            /** @description A re-plan replaced this version and the route did not continue: the current version and this vehicle’s route in it */
            replacedBy: {
                planId: string;
                routeId: string | null;
            } | null;
            loadingOrder: {
                trip: number;
                stops: {
                    stopId: string;
                    seq: number;
                    name: string;
                    waybills: string[];
                    parcels: number;
                }[];
            }[];
        };
        ManifestLink: {
            routeId: string;
            /** @example /manifest?token=… */
            path: string;
            /** @description The path on this server’s address as the request reached it */
            url: string;
            expiresAt: string;
        };
        ManifestLinkRequest: {
            /** @description How long the link opens the manifest; default 240, never past the end of a driver’s phone session */
            ttlMinutes?: number;
        };
        Station: {
            code: string;
            name: string;
            keeperName: string | null;
            keeperPhone: string | null;
            position: components["schemas"]["StationPosition"];
        };
        StationPosition: {
            lat: number;
            lon: number;
            /** @enum {string} */
            quality: "known" | "estimated" | "corrected";
        };
        PatchStation: {
            /** @example 李桂兰 */
            keeperName?: string | null;
            /** @example 13912345678 */
            keeperPhone?: string | null;
            position?: components["schemas"]["StationPositionInput"];
            /** @example 站点实际在村委会东侧小卖部 */
            reason?: string;
        };
        StationPositionInput: {
            /** @example 36.7412 */
            lat: number;
            /** @example 112.7031 */
            lon: number;
            /**
             * @description wgs84 (GPS) or gcj02 (Amap and other Chinese web maps); stored as WGS84. Default: `"wgs84"`.
             * @enum {string}
             */
            datum?: "wgs84" | "gcj02";
        };
        StationMove: {
            id: string;
            stationCode: string;
            movedAt: string;
            /** @description the API key that moved it */
            movedBy: string;
            from: components["schemas"]["StationPosition"];
            to: components["schemas"]["StationPosition"];
            reason: string;
        };
        DeliveryEventResult: {
            /** @description Null when nothing changed (a replay) */
            stopEventId: string | null;
            stopId: string;
            routeId: string;
            /** @enum {string} */
            type: "arrived" | "delivered" | "failed" | "picked_up";
            at: string;
            parcels: {
                waybill: string;
                courier: string;
                status: string;
                changed: boolean;
            }[];
            pickups: {
                id: string;
                status: string;
                changed: boolean;
            }[];
            notifications: number;
        };
        DeliveryEvent: {
            /**
             * @example delivered
             * @enum {string}
             */
            type: "arrived" | "delivered" | "failed" | "picked_up";
            /** @description Parcels of this stop; omitted = all of them */
            waybills?: string[];
            /** @description Parcels of this stop by id (unambiguous) */
            parcelIds?: string[];
            /** @description Parcels of this stop by courier and waybill (unambiguous when two couriers share a waybill) */
            parcels?: {
                courier: string;
                waybill: string;
            }[];
            /** @description Pickups of this stop (picked_up, failed); omitted = all of them */
            pickupIds?: string[];
            /**
             * @description Required for failed
             * @example 收件人不在家
             */
            reason?: string;
            note?: string;
            /**
             * Format: date-time
             * @description When it happened (default: now)
             */
            at?: string;
        };
        Webhook: {
            courier: string;
            /**
             * @description The county of this webhook
             * @example 140430
             */
            county: string;
            url: string | null;
            secretSet: boolean;
            signature: string;
        };
        WebhookSettings: {
            /**
             * Format: uri
             * @example https://courier.example.com/gongpei/events
             */
            url: string;
            /** @description Shared secret for the HMAC-SHA256 signature (at least 16 characters) */
            secret: string;
            /**
             * @description The county whose webhook this is (its 6-digit code); default: the key’s only county, or Qin County (140430) for a key of every county. A key of several counties must name one.
             * @example 140430
             */
            county?: string;
        };
        DriverList: {
            date: string | null;
            drivers: components["schemas"]["DriverListing"][];
        };
        DriverListing: components["schemas"]["Driver"] & {
            vehicleId: string | null;
            /** @description Last time the driver’s phone signed in for the date */
            signedInAt: string | null;
            routes: {
                routeId: string;
                tier: string;
                vehicleId: string;
                startAt: string;
                /** @description When the driver first opened this route’s manifest */
                firstOpenedAt: string | null;
            }[];
        };
        Driver: {
            id: string;
            name: string;
            phone: string;
            active: boolean;
            createdAt: string;
            county: string;
        };
        CreateDriver: {
            /** @example 王师傅 */
            name: string;
            /** @example 13812345678 */
            phone: string;
            active?: boolean;
            /**
             * @description The county the driver drives in (default: the key’s only county, or Qin County for a key of every county)
             * @example 140430
             */
            county?: string;
        };
        DriverActive: {
            active: boolean;
        };
        DriverAssignmentList: {
            date: string;
            assignments: {
                vehicleId: string;
                driverId: string;
                assignedAt: string;
            }[];
        };
        DriverAssignment: {
            /**
             * Format: date
             * @example 2026-12-02
             */
            date: string;
            vehicleId: string;
            /** @description null takes the vehicle’s driver off for that date */
            driverId: string | null;
        };
        DriverSignInLink: {
            linkId: string;
            driverId: string;
            date: string;
            expiresAt: string;
            path: string;
            url: string;
            /** @description QR code of the URL, inline SVG */
            qrSvg: string;
        };
        DriverSignInLinkRequest: {
            /**
             * Format: date
             * @example 2026-12-02
             */
            date: string;
            /** @description Default 720 (12 h); never past the end of the service day */
            ttlMinutes?: number;
        };
        Revoked: {
            /** @description Links and sessions revoked */
            revoked: number;
        };
        DriverSession: {
            /** @description Bearer credential for this phone: the driver’s own routes of that date */
            token: string;
            driverId: string;
            driverName: string;
            date: string;
            vehicleId: string | null;
            expiresAt: string;
        };
        DriverSessionRequest: {
            /** @description The token from the sign-in link (after #token=) */
            token: string;
        };
        DaySettlement: {
            date: string;
            planId: string;
            /** @description True once the day has closed: the numbers never change again */
            frozen: boolean;
            frozenAt: string | null;
            /** @example shapley-route-game/v1 */
            rule: string;
            jointCostFen: number;
            aloneTotalFen: number | null;
            couriers: components["schemas"]["CourierSettlement"][];
            individuallyRational: boolean | null;
            exact: boolean;
            coreViolations: {
                couriers: string[];
                excessFen: number;
            }[] | null;
        };
        CourierSettlement: {
            courier: string;
            /** @description What the courier pays (fen); the shares of a day sum to its joint cost */
            shareFen: number;
            /** @description The Shapley share before the individual-rationality repair */
            shapleyFen: number;
            parts: {
                vehicleDaysFen: number;
                kmFen: number;
                hoursFen: number;
            };
            routes: number;
            /** @description The courier alone on the same work (items both plans served); null without the comparison */
            aloneFen: number | null;
            /** @description Items the joint plan served that the courier alone could not: aloneFen is then a lower bound */
            aloneMissingItems: number;
            savedFen: number | null;
            belowAlone: boolean | null;
            /** @description The Shapley share was above the stand-alone cost and was capped at it */
            capped: boolean;
        };
        MonthSettlement: {
            month: string;
            jointCostFen: number;
            frozenDays: number;
            provisionalDays: number;
            days: {
                date: string;
                planId: string;
                frozen: boolean;
                jointCostFen: number;
            }[];
            couriers: {
                courier: string;
                days: number;
                shareFen: number;
                aloneFen: number | null;
                savedFen: number | null;
                daysAboveAlone: number;
            }[];
        };
        /** @description The answer in VROOM’s output format */
        VroomSolution: {
            /** @enum {number} */
            code: 0;
            summary: {
                cost: number;
                setup: number;
                service: number;
                /** @description Travel time */
                duration: number;
                waiting_time: number;
                priority: number;
                violations: {
                    cause: string;
                    duration?: number;
                }[];
                delivery: number[];
                pickup: number[];
                distance?: number;
                routes: number;
                unassigned: number;
                computing_times: {
                    loading: number;
                    solving: number;
                };
                /** @description gongpei extension: solver iterations spent */
                iterations: number;
            };
            unassigned: components["schemas"]["VroomUnassigned"][];
            routes: components["schemas"]["VroomRoute"][];
        };
        VroomUnassigned: {
            id: number;
            /** @enum {string} */
            type: "job" | "pickup" | "delivery";
            description?: string;
            location?: number[];
            location_index?: number;
            /** @description gongpei extension: why (capacity, time_window, skill, max_distance, max_duration, max_stops: alone it fits no vehicle; no_feasible_route: no room left; lower_priority: left for tasks ranked first) */
            reason: string;
        };
        VroomRoute: {
            vehicle: number;
            steps: components["schemas"]["VroomStep"][];
            cost: number;
            setup: number;
            service: number;
            /** @description Travel time */
            duration: number;
            waiting_time: number;
            priority: number;
            violations: {
                cause: string;
                duration?: number;
            }[];
            delivery: number[];
            pickup: number[];
            distance?: number;
            description?: string;
        };
        VroomStep: {
            /**
             * @description `reload` is a gongpei extension (a multi-trip vehicle back at its start)
             * @enum {string}
             */
            type: "start" | "job" | "pickup" | "delivery" | "break" | "end" | "reload";
            arrival: number;
            /** @description Cumulated travel time upon arrival */
            duration: number;
            setup: number;
            service: number;
            waiting_time: number;
            violations: {
                cause: string;
                duration?: number;
            }[];
            description?: string;
            location?: number[];
            location_index?: number;
            id?: number;
            load: number[];
            /** @description Cumulated distance upon arrival (with a `distances` matrix) */
            distance?: number;
        };
        /** @description A problem in VROOM’s input format (docs/API.md of VROOM), with custom matrices */
        VroomProblem: {
            jobs?: components["schemas"]["VroomJob"][];
            shipments?: components["schemas"]["VroomShipment"][];
            vehicles: components["schemas"]["VroomVehicle"][];
            /** @description Per vehicle profile: `durations` (required), `distances`, `costs` */
            matrices?: {
                [key: string]: components["schemas"]["VroomProfileMatrices"];
            };
            /** @description gongpei extension (VROOM’s `-t`): independent searches of this problem on the solver’s threads, the best one answered (default 1). Same seed, threads and work budget ⇒ the same answer; at most the serving process’s solver threads (SOLVE_THREADS). */
            threads?: number;
        };
        VroomJob: {
            /** @description A non-negative integer, unique per kind (jobs; pickups; deliveries; vehicles) */
            id: number;
            description?: string;
            /** @description [lon, lat]; without matrices, routed on the configured OSRM; with them, echoed in the answer */
            location?: number[];
            location_index?: number;
            /** @description Setup time; gongpei accepts a non-zero setup only where every task has its own location (then it is always due) */
            setup?: number;
            service?: number;
            time_windows?: number[][];
            /** @description Multidimensional quantity (all amounts of a problem have the same length) */
            delivery?: number[];
            /** @description Multidimensional quantity (all amounts of a problem have the same length) */
            pickup?: number[];
            skills?: number[];
            priority?: number;
        };
        VroomShipment: {
            pickup: components["schemas"]["VroomShipmentStep"];
            delivery: components["schemas"]["VroomShipmentStep"];
            /** @description Multidimensional quantity (all amounts of a problem have the same length) */
            amount?: number[];
            skills?: number[];
            priority?: number;
        };
        VroomShipmentStep: {
            /** @description A non-negative integer, unique per kind (jobs; pickups; deliveries; vehicles) */
            id: number;
            description?: string;
            /** @description [lon, lat]; without matrices, routed on the configured OSRM; with them, echoed in the answer */
            location?: number[];
            location_index?: number;
            /** @description Setup time; gongpei accepts a non-zero setup only where every task has its own location (then it is always due) */
            setup?: number;
            service?: number;
            time_windows?: number[][];
        };
        VroomVehicle: {
            /** @description A non-negative integer, unique per kind (jobs; pickups; deliveries; vehicles) */
            id: number;
            /** @description Defaults to `car` */
            profile?: string;
            description?: string;
            /** @description [lon, lat]; without matrices, routed on the configured OSRM; with them, echoed in the answer */
            start?: number[];
            start_index?: number;
            /** @description [lon, lat]; without matrices, routed on the configured OSRM; with them, echoed in the answer */
            end?: number[];
            end_index?: number;
            /** @description Multidimensional quantity (all amounts of a problem have the same length) */
            capacity?: number[];
            costs?: components["schemas"]["VroomCosts"];
            skills?: number[];
            /** @description A label (it only matters with `*_per_type`, which gongpei refuses) */
            type?: string;
            /** @description [start, end], both inclusive, in seconds (relative or absolute) */
            time_window?: number[];
            /** @description Only an empty list: gongpei does not schedule breaks */
            breaks?: unknown[];
            speed_factor?: number;
            max_tasks?: number;
            max_distance?: number;
            /** @description gongpei extension: trips per shift; the vehicle may go back to its start to reload (steps of type `reload`) */
            max_trips?: number;
            /** @description gongpei extension: time spent at the start between two trips */
            reload_time?: number;
            /** @description gongpei extension: earliest departure from the start (e.g. when its line-haul arrives) */
            release_time?: number;
        };
        VroomCosts: {
            fixed?: number;
            per_hour?: number;
            per_km?: number;
            /**
             * @description Only 0 (the default): task time is not priced
             * @enum {number}
             */
            per_task_hour?: 0;
        };
        VroomProfileMatrices: {
            durations?: number[][];
            distances?: number[][];
            costs?: number[][];
        };
        CountyList: {
            counties: components["schemas"]["County"][];
        };
        County: {
            /** @example 140430 */
            id: string;
            /** @example 沁县 */
            name: string;
        };
        ImportedNetwork: {
            /** @example 140430 */
            county: string;
            /** @description false: a re-import, rows updated in place */
            created: boolean;
            townships: number;
            hubs: number;
            stations: number;
            /** @description Stations of the county the files left out: kept, closed to intake */
            stationsClosed: number;
            vehicles: number;
            /** @description Vehicles of the county the files left out: out of service */
            vehiclesRetired: number;
            couriers: number;
        };
        /** @description A county network in the folder format of docs/network-format.md: each file’s text under its name. */
        ImportNetwork: {
            files: {
                /** @description county.csv (required) */
                "county.csv"?: string;
                /** @description townships.csv (required) */
                "townships.csv"?: string;
                /** @description hubs.csv (required) */
                "hubs.csv"?: string;
                /** @description stations.csv (required) */
                "stations.csv"?: string;
                /** @description vehicle_types.csv (required) */
                "vehicle_types.csv"?: string;
                /** @description vehicles.csv (required) */
                "vehicles.csv"?: string;
                /** @description couriers.csv */
                "couriers.csv"?: string;
                /** @description positions.geojson: positions as GeoJSON points */
                "positions.geojson"?: string;
                /** @description county-boundary.geojson */
                "county-boundary.geojson"?: string;
            };
        };
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        Ready: {
            /**
             * @description Without an admin key: `ok` (serving) or `unavailable` only
             * @enum {string}
             */
            status: "ok" | "degraded" | "unavailable";
            /** @description By dependency (database, redis): with an admin key only */
            checks?: {
                [key: string]: {
                    ok: boolean;
                    error?: string;
                };
            };
        };
    };
    responses: {
        /** @description Invalid request: a parameter or the body does not match its schema (`details` name each field) */
        InvalidRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Missing, malformed, unknown or revoked API key */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description This key’s role may not use this operation */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body (or the batch) is larger than this operation accepts */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body’s Content-Type (or its charset or encoding) is not one this operation reads */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description This key sent more requests than its rate limit allows; retry after `Retry-After` seconds */
        RateLimited: {
            headers: {
                /** @description Seconds to wait before retrying */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description An unexpected error (logged on the server; the message says nothing more) */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The database is unavailable; retry after `Retry-After` seconds */
        Unavailable: {
            headers: {
                /** @description Seconds to wait before retrying */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listParcels: {
        parameters: {
            query?: {
                status?: "received" | "sorted" | "planned" | "out_for_delivery" | "delivered" | "failed" | "cancelled" | "return_requested" | "returning" | "returned";
                /** @description Received on this local day of the network (TIMEZONE, e.g. Asia/Shanghai) */
                date?: string;
                courier?: string;
                stationCode?: string;
                limit?: number;
                /** @description Cursor: the `next` value of the previous page */
                after?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of parcels */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParcelList"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createParcels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateParcel"] | components["schemas"]["CreateParcelBatch"];
            };
        };
        responses: {
            /** @description An identical replay: already accepted, nothing changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Parcel"] | components["schemas"]["ParcelBatchResult"];
                };
            };
            /** @description Accepted and committed (one parcel: the parcel; a batch: the batch result) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Parcel"] | components["schemas"]["ParcelBatchResult"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description The same waybill was accepted with different contents */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description A destination cannot be resolved (unknown, ambiguous or outside the county; `details` name the parcel and may list candidates) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    importParcels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
                "text/plain": string;
                "application/csv": string;
            };
        };
        responses: {
            /** @description An identical replay: already accepted, nothing changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParcelBatchResult"];
                };
            };
            /** @description Accepted and committed */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParcelBatchResult"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description The same waybill was accepted with different contents */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description A destination cannot be resolved (unknown, ambiguous or outside the county; `details` name the parcel and may list candidates) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getParcel: {
        parameters: {
            query?: {
                /** @description Dispatcher/admin keys: whose waybill (couriers see only their own) */
                courier?: string;
            };
            header?: never;
            path: {
                waybill: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The parcel */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParcelWithEvents"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such parcel (or another courier’s) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    cancelParcel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                waybill: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancelled (or already cancelled) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Parcel"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such parcel (or another courier’s) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too late: the parcel is already planned */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createPickup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePickup"];
            };
        };
        responses: {
            /** @description The same `reference` and body again: the pickup already made */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pickup"];
                };
            };
            /** @description Accepted and committed */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pickup"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description The `reference` was already used with a different body */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description The station cannot be resolved */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPickup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pickup */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pickup"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such pickup (or another courier’s) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listPlans: {
        parameters: {
            query?: {
                /** @description Only this service date’s plans */
                date?: string;
                /** @description Only this county’s plans (default: every county of the key) */
                county?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plans */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanList"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    requestPlan: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePlan"];
            };
        };
        responses: {
            /** @description Accepted: planned in the background */
            202: {
                headers: {
                    /** @description The plan: /v1/plans/{id} */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanRequested"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description The day is closed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            /** @description The network is not loaded yet (`gongpei db migrate` loads it), or the database is unavailable; retry after `Retry-After` seconds */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    publishPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Not completed, replaced by a newer version, or closed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    closePlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A draft (publish first), not completed, or replaced */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    reportBreakdown: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                vehicleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VehicleBreakdownRequest"];
            };
        };
        responses: {
            /** @description Already recorded for that date */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VehicleBreakdown"];
                };
            };
            /** @description Recorded */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VehicleBreakdown"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such vehicle */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPlan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plan */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPlanRoutes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The routes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanRoutes"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPlanRoutesGeoJson: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The routes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/geo+json": components["schemas"]["FeatureCollection"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPlanSavings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The comparison */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanSavings"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan, or it was made without the comparison */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The plan has not completed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    previewRouteEdit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RouteEdit"];
            };
        };
        responses: {
            /** @description The routes before and after */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteEditPreview"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The plan is not the current completed version, or the day is closed; a visited stop moved (named); a stop of a started route moved to another vehicle; routes of different hubs or a line-haul route */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    saveRouteEdit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RouteEdit"];
            };
        };
        responses: {
            /** @description Saved: the new version and the evaluation */
            201: {
                headers: {
                    /** @description The new version: /v1/plans/{id} */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RouteEditSaved"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description As the preview; also: the edit breaks a rule (without `acceptViolations`), or another edit or re-plan came first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getStats: {
        parameters: {
            query?: {
                /** @description Default: the operating day (today, local) */
                from?: string;
                /** @description Inclusive; not before `from`. Default: `from` */
                to?: string;
                /** @description Only this county (default: every county of the key) */
                county?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The statistics */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Stats"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getNetworkGeoJson: {
        parameters: {
            query?: {
                /** @description The county whose network (default: the key’s only county, or Qin County for a key of every county) */
                county?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The network */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/geo+json": components["schemas"]["FeatureCollection"];
                };
            };
            /** @description The key covers several counties and names none */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description The key does not cover the county asked for */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPlanKpis: {
        parameters: {
            query: {
                planId: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The KPIs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlanKpis"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getDashboardConfig: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DashboardConfig"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
        };
    };
    listManifests: {
        parameters: {
            query: {
                date: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The day’s manifests */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManifestList"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getManifest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                routeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The manifest */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Manifest"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such route (or another driver’s) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPrintableManifest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                routeId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The printable manifest */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such route (or another driver’s) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createManifestLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                routeId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ManifestLinkRequest"];
            };
        };
        responses: {
            /** @description The link */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ManifestLink"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such route (or another driver’s) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    updateStation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchStation"];
            };
        };
        responses: {
            /** @description The station */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Station"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such station */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listStationMoves: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The moves */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        moves: components["schemas"]["StationMove"][];
                    };
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such station */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    recordStopEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stopId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeliveryEvent"];
            };
        };
        responses: {
            /** @description Recorded (or already in effect) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryEventResult"];
                };
            };
            /** @description The event’s time (`at`, or now when it is omitted) is not on the route’s service day, or in the future */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such stop on this driver’s routes */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An item cannot take this event (e.g. failing a delivered parcel); the plan is still a draft (not published), closed, or replaced */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description A waybill or pickup is not on this stop */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getWebhook: {
        parameters: {
            query?: {
                /** @description The county whose webhook this is (its 6-digit code); default: the key’s only county, or Qin County (140430) for a key of every county. A key of several counties must name one. */
                county?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The courier’s webhook in the county (the secret is never returned) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description The county named is not one of this key’s counties (the error names the field `county`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This key’s courier no longer exists */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    setWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookSettings"];
            };
        };
        responses: {
            /** @description The courier’s webhook in the county (the secret is never returned) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description The county named is not one of this key’s counties (the error names the field `county`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This key’s courier no longer exists */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: {
                /** @description The county whose webhook this is (its 6-digit code); default: the key’s only county, or Qin County (140430) for a key of every county. A key of several counties must name one. */
                county?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The courier’s webhook in the county (the secret is never returned) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description The county named is not one of this key’s counties (the error names the field `county`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description This key’s courier no longer exists */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listDrivers: {
        parameters: {
            query?: {
                date?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The drivers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriverList"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    addDriver: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDriver"];
            };
        };
        responses: {
            /** @description Added */
            201: {
                headers: {
                    /** @description The driver: /v1/drivers/{id} */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Driver"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description The phone number is already another driver’s */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    setDriverActive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DriverActive"];
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Driver"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such driver */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listDriverAssignments: {
        parameters: {
            query: {
                date: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The assignments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriverAssignmentList"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    assignDriver: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DriverAssignment"];
            };
        };
        responses: {
            /** @description Assigned */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriverAssignment"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such driver or vehicle */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The driver already drives another vehicle that day, or is inactive */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createDriverSignInLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DriverSignInLinkRequest"];
            };
        };
        responses: {
            /** @description The link (shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriverSignInLink"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such driver */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    revokeDriverSignInLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                linkId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Revoked"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    revokeDriverSignIns: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Revoked"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    createDriverSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DriverSessionRequest"];
            };
        };
        responses: {
            /** @description Signed in */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DriverSession"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            /** @description Unknown, used, expired or revoked link */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
        };
    };
    getSettlement: {
        parameters: {
            query?: {
                date?: string;
                month?: string;
                /** @description The county whose settlement (default: the key’s only county, or Qin County for a key of every county) */
                county?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A day (DaySettlement) or a month (MonthSettlement) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DaySettlement"] | components["schemas"]["MonthSettlement"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No completed plan with a settlement for that date */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getPlanSettlement: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The plan’s settlement */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DaySettlement"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No such plan, or no settlement */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The plan is not completed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    solveVroomProblem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VroomProblem"];
            };
        };
        responses: {
            /** @description The solution in VROOM’s output format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VroomSolution"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    listCounties: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The counties */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CountyList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    importNetwork: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImportNetwork"];
            };
        };
        responses: {
            /** @description A county re-imported in place */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportedNetwork"];
                };
            };
            /** @description A new county, imported */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportedNetwork"];
                };
            };
            400: components["responses"]["InvalidRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready or degraded */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ready"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
            /** @description The database is unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ready"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["InternalError"];
        };
    };
}
