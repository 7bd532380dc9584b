using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using MnistTrainer.Data;
using MnistTrainer.Files;
using MnistTrainer.Model;
using MnistTrainer.Web;
using Microsoft.AspNetCore.Builder;
using static MnistTrainer.Cli.SharedOptions;

namespace MnistTrainer.Cli;

/// <summary><c>serve</c>: a web page to draw digits on and watch the trained network answer, with its JSON API.</summary>
public static class ServeCommand
{
    public static Command Create(Terminal terminal, CancellationToken cancel)
    {
        var model = ModelOption();
        var host = new Option<string>("--host")
        {
            HelpName = "ADDRESS",
            Description = "Address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (every network), or another IP address",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port")
        {
            HelpName = "N",
            Description = "Port to listen on (0: any free port)",
            DefaultValueFactory = _ => 5000,
        };
        var data = new DataOptions();
        host.Check(h => ParseHost(h) == null ? $"--host {h} is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost." : null);
        port.ParseInvariantly();
        port.Check(p => p is < 0 or > 65535 ? $"--port must be between 0 and 65535 (got {p})." : null);

        var command = NewCommand("serve", "Serve a web page where you draw a digit and see the model's class probabilities as you draw",
            [model, host, port, data.DataDir]);
        command.SetAction(parse =>
        {
            var modelPath = ModelPath(parse.GetValue(model));
            data.AddTo(new FilePlan(), parse, [.. DatasetInfo.All]).Input(model.Name, modelPath).Check();
            var address = ParseHost(parse.GetValue(host)!)!;
            int portNumber = parse.GetValue(port);
            CheckUsable(address, portNumber);
            TorchSharp.torch.set_num_threads(DefaultThreads);
            using var trained = ModelFile.Load(modelPath);
            var dataset = DatasetOf(modelPath, trained);
            var accuracy = trained.Metadata.Training?.TestAccuracy is double a ? $", test accuracy {Language.Percent(a)}" : "";
            terminal.Out.WriteLine($"Model {modelPath} ({dataset.DisplayName}{accuracy})");
            var served = new ServedModel(trained, modelPath, dataset, TestSet(dataset, data, parse, terminal));

            WebApplication app;
            try
            {
                app = DrawingServer.StartAsync(served, address, portNumber, e => ErrorReport.InternalError(terminal.Error, e), cancel).GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                // Taken since the check above: Kestrel's bind error has the socket's as its cause.
                throw Unusable(address, portNumber, e.InnerException ?? e);
            }
            using (app)
            {
                if (!IPAddress.IsLoopback(address))
                    ErrorReport.Warning(terminal.Error, $"--host {address} lets other machines reach the page and its API, which have no authentication: " +
                        "anyone who can reach this port can use them. Use --host 127.0.0.1 to keep it on this machine.");
                terminal.Out.WriteLine($"Serving the drawing page at {string.Join(", ", app.Urls.Select(u => u + "/"))} (Ctrl+C to stop)");
                using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancel, app.Lifetime.ApplicationStopping);
                stopping.Token.WaitHandle.WaitOne();
                app.StopAsync().GetAwaiter().GetResult();
            }
            terminal.Out.WriteLine("Stopped.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The test set for the page's test-image button, from the local folders only: serve never downloads.</summary>
    static LabeledImages? TestSet(DatasetInfo dataset, DataOptions data, ParseResult parse, Terminal terminal)
    {
        try
        {
            return data.LoadTest(dataset, parse, terminal, CancellationToken.None, localOnly: true);
        }
        catch (DatasetNotFoundException)
        {
            terminal.Out.WriteLine($"No {dataset.DisplayName} test files found: the page's test-image button is off (--data-dir FOLDER to give them).");
            return null;
        }
    }

    static IPAddress? ParseHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address : null;

    /// <summary>
    /// Binds a socket to <paramref name="address"/>:<paramref name="port"/> and lets it go, so that an address
    /// that is not this machine's or a port in use is a <see cref="UsageException"/> before the model is loaded.
    /// </summary>
    static void CheckUsable(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel binds: a port left in TIME_WAIT by a server that just stopped is usable.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e)
        {
            throw Unusable(address, port, e);
        }
    }

    static UsageException Unusable(IPAddress address, int port, Exception e)
    {
        var endpoint = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
        return new((e as SocketException)?.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => $"cannot listen on {endpoint}: the port is in use; choose another --port.",
            SocketError.AddressNotAvailable => $"cannot listen on {endpoint}: {address} is not an address of this machine; choose another --host (127.0.0.1: this machine only).",
            SocketError.AccessDenied => $"cannot listen on {endpoint}: ports below 1024 need administrator rights; choose another --port.",
            _ => $"cannot listen on {endpoint} ({e.Message.TrimEnd('.')}); choose another --port or --host.",
        });
    }
}
