import type { Command } from 'commander';
import { type Context, withCliServices } from './with-services.js';

/** `steeple users reset-password <church> <email>`: the same email as the forgot-password screen. */
export function registerUserCommands(program: Command, context: Context): void {
  const users = program.command('users').description("a church's staff accounts");
  users
    .command('reset-password <church> <email>')
    .description('email a password-reset link to a staff member (church: id or slug)')
    .action((church: string, email: string) =>
      withCliServices(context, async (s) => {
        const { tenantId, outcome } = await s.deps.passwordResets.requestAsOperator(church, email);
        // Sent before this process exits; if the mail server is down, the server's sweep retries.
        await s.deps.mail.delivery.deliver(tenantId);
        console.log(
          outcome === 'sent'
            ? `reset link emailed to ${email}`
            : `a link was emailed to ${email} less than a minute ago; not sent again`,
        );
      }),
    );
}
