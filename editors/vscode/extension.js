// Starts "tamis lsp" for .rules files. The settings tamis.trust and
// tamis.checksum are passed as initializationOptions and, when they change,
// as the "tamis" section of the configuration.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function settings() {
  const c = vscode.workspace.getConfiguration("tamis");
  return { trust: c.get("trust"), checksum: c.get("checksum") };
}

function activate(context) {
  const command = vscode.workspace.getConfiguration("tamis").get("path") || "tamis";
  client = new LanguageClient(
    "tamis",
    "tamis",
    { command, args: ["lsp"] },
    {
      documentSelector: [{ language: "tamis" }],
      initializationOptions: settings(),
      synchronize: { configurationSection: "tamis" },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
