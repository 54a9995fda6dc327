import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from './auth/require-session';
import { SignInPage } from './auth/sign-in-page';

// The sign-in screen ships in the first bundle; every other screen, and the signed-in frame
// around them, loads when first opened.
const AppLayout = lazy(() => import('./shell/app-layout'));
const RegisterPage = lazy(() => import('./auth/register-page'));
const ForgotPasswordPage = lazy(() => import('./auth/forgot-password-page'));
// The path of the emailed link (PUBLIC_URL/reset-password#token=...): keep it.
const ResetPasswordPage = lazy(() => import('./auth/reset-password-page'));
// The path of the emailed invitation (PUBLIC_URL/accept-invite#token=...): keep it.
const AcceptInvitePage = lazy(() => import('./auth/accept-invite-page'));
const HomePage = lazy(() => import('./home/home-page'));
const PeoplePage = lazy(() => import('./people/people-page'));
const PersonPage = lazy(() => import('./people/person-page'));
const PersonEditPage = lazy(() => import('./people/person-edit-page'));
const HouseholdsPage = lazy(() => import('./households/households-page'));
const HouseholdPage = lazy(() => import('./households/household-page'));
const TagsPage = lazy(() => import('./tags/tags-page'));
const GroupsPage = lazy(() => import('./groups/groups-page'));
const GroupPage = lazy(() => import('./groups/group-page'));
const EventsPage = lazy(() => import('./events/events-page'));
const EventPage = lazy(() => import('./events/event-page'));
const GivingPage = lazy(() => import('./giving/giving-page'));
const BatchPage = lazy(() => import('./giving/batch-page'));
const StatementPage = lazy(() => import('./giving/statement-page'));
const YearEndPage = lazy(() => import('./year-end/year-end-page'));
const WithoutEmailPage = lazy(() => import('./year-end/without-email-page'));
const ImportPage = lazy(() => import('./imports/import-page'));
const UsersPage = lazy(() => import('./users/users-page'));
const AuditPage = lazy(() => import('./audit/audit-page'));
const SettingsPage = lazy(() => import('./settings/settings-page'));

const loading = (
  <Center h="50vh">
    <Loader aria-label="Loading" />
  </Center>
);

/** Every page of the console; the server answers index.html for each of these paths. */
export function AppRoutes() {
  return (
    <Suspense fallback={loading}>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/accept-invite" element={<AcceptInvitePage />} />
        <Route element={<RequireSession />}>
          <Route element={<AppLayout />}>
            <Route index element={<HomePage />} />
            <Route path="people" element={<PeoplePage />} />
            <Route path="people/new" element={<PersonEditPage />} />
            <Route path="people/:id" element={<PersonPage />} />
            <Route path="people/:id/edit" element={<PersonEditPage />} />
            <Route path="households" element={<HouseholdsPage />} />
            <Route path="households/:id" element={<HouseholdPage />} />
            <Route path="tags" element={<TagsPage />} />
            <Route path="groups" element={<GroupsPage />} />
            <Route path="groups/:id" element={<GroupPage />} />
            <Route path="events" element={<EventsPage />} />
            <Route path="events/:id" element={<EventPage />} />
            <Route path="giving" element={<GivingPage />} />
            <Route path="giving/batches/:id" element={<BatchPage />} />
            <Route path="year-end" element={<YearEndPage />} />
            <Route path="import" element={<ImportPage />} />
            <Route path="users" element={<UsersPage />} />
            <Route path="audit" element={<AuditPage />} />
            <Route path="settings" element={<SettingsPage />} />
          </Route>
          {/* Printable: no menu around it. */}
          <Route path="people/:id/statement" element={<StatementPage />} />
          <Route path="year-end/:year/without-email" element={<WithoutEmailPage />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
