// The Charter extension: starts `charter-lsp` over stdio and connects VS Code to it.
//
// Highlighting comes from the TextMate grammar (syntaxes/charter.tmLanguage.json) and works
// without the server; everything else (diagnostics, hover, definitions, rename, completion,
// formatting, code actions) comes from the server.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;
let output: Channels | undefined;

/** The extension's output channels: server log and protocol trace, kept across restarts. */
interface Channels {
  log: vscode.OutputChannel;
  trace: vscode.OutputChannel;
}

/** The server command and arguments, read from the `charter.server.*` settings. */
function serverCommand(): { command: string; args: string[] } {
  const config = vscode.workspace.getConfiguration("charter");
  const path = config.get<string>("server.path", "charter-lsp").trim();
  const args = config.get<string[]>("server.args", []);
  return { command: path.length > 0 ? path : "charter-lsp", args };
}

function createClient(channels: Channels): LanguageClient {
  const { command, args } = serverCommand();
  const run = { command, args, transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "charter" },
      { scheme: "untitled", language: "charter" },
    ],
    synchronize: {
      // The server re-reads the workspace when charter.toml or a file it does not have open
      // changes on disk.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher("**/charter.toml"),
        vscode.workspace.createFileSystemWatcher("**/*.charter"),
      ],
    },
    outputChannel: channels.log,
    traceOutputChannel: channels.trace,
  };
  return new LanguageClient("charter", "Charter Language Server", serverOptions, clientOptions);
}

async function startClient(channels: Channels): Promise<void> {
  const channel = channels.log;
  const next = createClient(channels);
  client = next;
  try {
    await next.start();
  } catch (error) {
    const { command } = serverCommand();
    const message = error instanceof Error ? error.message : String(error);
    channel.appendLine(`could not start \`${command}\`: ${message}`);
    const choice = await vscode.window.showErrorMessage(
      `Charter: could not start the language server \`${command}\`. ` +
        "Install it (`cargo install --path lsp`) or set `charter.server.path`.",
      "Open Settings",
      "Show Output",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "charter.server");
    } else if (choice === "Show Output") {
      channel.show(true);
    }
  }
}

async function stopClient(): Promise<void> {
  const current = client;
  client = undefined;
  if (current !== undefined && current.isRunning()) {
    await current.stop();
  }
}

async function restartClient(): Promise<void> {
  const channels = output;
  if (channels === undefined) {
    return;
  }
  await stopClient();
  channels.log.appendLine("restarting the Charter language server");
  await startClient(channels);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel("Charter");
  const trace = vscode.window.createOutputChannel("Charter Language Server Trace");
  const channels = { log: channel, trace };
  output = channels;
  context.subscriptions.push(
    channel,
    trace,
    vscode.commands.registerCommand("charter.restartServer", restartClient),
    vscode.commands.registerCommand("charter.showOutput", () => channel.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("charter.server")) {
        await restartClient();
      }
    }),
  );
  await startClient(channels);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
