/** A calendar file (.ics) for each session of each webinar, written at build time. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { buildTime, loadSite, loadWebinars } from '../../../layouts/course.ts';
import { sessionCalendar } from '../../../lib/webinar/index.ts';

export const getStaticPaths = (async () => {
  const webinars = await loadWebinars();
  return Object.entries(webinars).flatMap(([id, webinar]) =>
    webinar.sessions.map((session) => ({ params: { id, session: session.id }, props: { id, webinar, session } })),
  );
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props }) => {
  const { id, webinar, session } = props as Awaited<ReturnType<typeof getStaticPaths>>[number]['props'];
  const site = await loadSite();
  const body = sessionCalendar({ webinarId: id, webinar, session, siteUrl: site.siteUrl, stamp: buildTime });
  return new Response(body, { headers: { 'Content-Type': 'text/calendar; charset=utf-8' } });
};
