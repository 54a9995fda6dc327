import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from './auth/require-session';
import { SignInPage } from './auth/sign-in-page';
import { AppLayout } from './shell/app-layout';

// The sign-in screen ships in the first bundle; every other screen loads when first opened.
const RegisterPage = lazy(() => import('./auth/register-page'));
const HomePage = lazy(() => import('./home/home-page'));
const PeoplePage = lazy(() => import('./people/people-page'));
const PersonPage = lazy(() => import('./people/person-page'));
const PersonEditPage = lazy(() => import('./people/person-edit-page'));

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
        <Route element={<RequireSession />}>
          <Route element={<AppLayout />}>
            <Route index element={<HomePage />} />
            <Route path="people" element={<PeoplePage />} />
            <Route path="people/new" element={<PersonEditPage />} />
            <Route path="people/:id" element={<PersonPage />} />
            <Route path="people/:id/edit" element={<PersonEditPage />} />
          </Route>
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
