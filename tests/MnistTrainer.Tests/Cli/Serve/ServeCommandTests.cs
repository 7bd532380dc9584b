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

    [Fact]
    public void A_real_ctrl_c_stops_the_program_with_exit_code_0()
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
            ChildProcess.Interrupt(process);
            var rest = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "serve did not stop on SIGINT");
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("Stopped.", rest.Trim());
            Assert.Equal("", error.Result);
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
            CliRun.Of("serve", "--model", UntrainedModel.FilePath, "--port", port.ToString())
                .AssertOneClearError(2, $"cannot listen on 127.0.0.1:{port}", "choose another --port");
        }
        finally { taken.Stop(); }
    }

    [Fact]
    public void A_missing_model_is_a_data_error()
    {
        using var folder = new TempFolder();
        CliRun.Of("serve", "--model", folder["none.model"], "--port", "0").AssertOneClearError(3, "model file not found");
    }
}
