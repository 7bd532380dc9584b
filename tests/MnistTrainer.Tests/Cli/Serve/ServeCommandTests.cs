using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MnistTrainer.Tests.Robustness;

namespace MnistTrainer.Tests.Cli;

public class ServeCommandTests
{
    [Fact]
    public async Task Prints_the_model_and_the_url_and_stops_cleanly_on_ctrl_c()
    {
        using var serve = RunningServe.Start("--model", TestModel.FilePath, "--data-dir", TestData.MnistSubsetFolder);
        Assert.Equal("ok", await serve.Http.GetStringAsync("healthz"));
        Assert.Equal("127.0.0.1", serve.Url!.Host);

        Assert.Equal(0, serve.Stop());
        var lines = serve.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"Model {TestModel.FilePath} (MNIST)", lines[0]);
        Assert.Equal($"MNIST test set from {TestData.MnistSubsetFolder}: 8,000 images", lines[1]);
        Assert.Equal($"Serving the drawing page at {serve.Url} (Ctrl+C to stop)", lines[2]);
        Assert.Equal("Stopped.", lines[^1]);
        Assert.Equal("", serve.Error);
        await Assert.ThrowsAsync<HttpRequestException>(() => serve.Http.GetStringAsync("healthz"));
    }

    [Theory]
    [InlineData("SIGINT")]
    [InlineData("SIGTERM")]
    public async Task A_real_ctrl_c_or_sigterm_stops_the_program_gracefully_with_exit_code_0(string signal)
    {
        var info = ChildProcess.StartInfo(["serve", "--model", TestModel.FilePath, "--port", "0"]);
        // Through env, which resets SIGINT to its default: a test run started in the background inherits it ignored.
        info.ArgumentList.Insert(0, info.FileName);
        info.ArgumentList.Insert(0, "--default-signal=INT");
        info.FileName = "/usr/bin/env";
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) != null && !line.StartsWith("Serving the drawing page at ")) { }
            Assert.NotNull(line);
            if (signal == "SIGINT") ChildProcess.Interrupt(process);
            else ChildProcess.Terminate(process);
            var rest = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), $"serve did not stop on {signal}");
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("Stopped.", rest.Trim());
            Assert.Equal("", await error);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("--host", "example.com", "--host example.com is not an IP address")]
    [InlineData("--port", "70000", "--port must be between 0 and 65535 (got 70000)")]
    [InlineData("--port", "-1", "--port must be between 0 and 65535 (got -1)")]
    public void Bad_host_or_port_is_a_usage_error(string option, string value, string message) =>
        CliRun.Of("serve", "--model", UntrainedModel.FilePath, option, value).AssertOneClearError(2, message);

    [Fact]
    public void A_port_in_use_is_a_usage_error()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((IPEndPoint)taken.LocalEndpoint).Port;
            var run = CliRun.Of("serve", "--model", UntrainedModel.FilePath, "--port", port.ToString());
            run.AssertOneClearError(2, $"cannot listen on 127.0.0.1:{port}: the port is in use; choose another --port.");
            Assert.Equal("", run.Out); // before the model is loaded
        }
        finally { taken.Stop(); }
    }

    [Fact]
    public void An_address_that_is_not_this_machines_is_a_usage_error_before_anything_starts()
    {
        // 192.0.2.1 is TEST-NET-1, documentation's address: never this machine's. Nothing is sent to it.
        var run = CliRun.Of("serve", "--model", UntrainedModel.FilePath, "--host", "192.0.2.1", "--port", "0");
        run.AssertOneClearError(2, "cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine; choose another --host (127.0.0.1: this machine only).");
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Listening_beyond_this_machine_warns_that_there_is_no_authentication()
    {
        using var serve = RunningServe.Start("--model", UntrainedModel.FilePath, "--host", "0.0.0.0");
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{serve.Url!.Port}/healthz"));
        Assert.Equal(0, serve.Stop());
        Assert.Equal("warning: --host 0.0.0.0 lets other machines reach the page and its API, which have no authentication: " +
            "anyone who can reach this port can use them. Use --host 127.0.0.1 to keep it on this machine.", serve.Error.Trim());
    }

    [Fact]
    public void A_missing_model_is_a_data_error()
    {
        using var folder = new TempFolder();
        CliRun.Of("serve", "--model", folder["none.model"], "--port", "0").AssertOneClearError(3, "model file not found");
    }
}
