/** `bttkit balance | deposit <amount> | withdraw <amount>`: the vault. */
import type { Command } from "commander";
import { toBase58 } from "../../address.js";
import type { AddressInput } from "../../backend/types.js";
import { formatBtt } from "../../units.js";
import { allowance, approveToken, balanceOf, deposit, tokenBalance, withdraw } from "../../vault/index.js";
import type { CliContext } from "../context.js";
import { emit, note } from "../output.js";
import { parseBttArg } from "../parse.js";

export function registerVaultCommands(program: Command, ctx: CliContext): void {
  program
    .command("balance")
    .description("wallet and free vault balance (BTT)")
    .option("--account <address>", "whose balance (default: the signing account)")
    .action(async (options: { account?: string }) => {
      const client = await ctx.vault();
      const account = (options.account ?? (await ctx.account())) as AddressInput | undefined;
      const [wallet, vault] = await Promise.all([
        tokenBalance(client, { ...(account ? { account } : {}) }),
        balanceOf(client, { ...(account ? { account } : {}) }),
      ]);
      const who = toBase58((account ?? "") as string);
      emit(
        ctx,
        { account: who, wallet: formatBtt(wallet), vault: formatBtt(vault), walletRaw: wallet, vaultRaw: vault },
        () => [`account  ${who}`, `wallet   ${formatBtt(wallet)} BTT`, `vault    ${formatBtt(vault)} BTT (free)`],
      );
    });

  program
    .command("deposit")
    .description("move BTT from the wallet into the vault (approves the vault first if needed)")
    .argument("<amount>", "BTT, a decimal such as 12.5", parseBttArg)
    .option("--no-approve", "fail instead of approving the vault's allowance")
    .action(async (amount: bigint, options: { approve: boolean }) => {
      const client = await ctx.vault();
      let approvalTxId: string | undefined;
      if (options.approve && (await allowance(client)) < amount) {
        note(ctx, `approving the vault for ${formatBtt(amount)} BTT...`);
        approvalTxId = (await approveToken(client, { amount })).txId;
      }
      const result = await deposit(client, { amount });
      const balance = await balanceOf(client);
      emit(
        ctx,
        { txId: result.txId, approvalTxId, credited: formatBtt(result.credited), vault: formatBtt(balance) },
        () => [
          `deposited ${formatBtt(result.credited)} BTT (tx ${result.txId})`,
          `vault     ${formatBtt(balance)} BTT (free)`,
        ],
      );
    });

  program
    .command("withdraw")
    .description("move free BTT from the vault to the wallet")
    .argument("<amount>", "BTT, a decimal such as 12.5", parseBttArg)
    .action(async (amount: bigint) => {
      const client = await ctx.vault();
      const result = await withdraw(client, { amount });
      const balance = await balanceOf(client);
      emit(ctx, { txId: result.txId, withdrawn: formatBtt(amount), vault: formatBtt(balance) }, () => [
        `withdrew ${formatBtt(amount)} BTT (tx ${result.txId})`,
        `vault    ${formatBtt(balance)} BTT (free)`,
      ]);
    });
}
