using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using MnistTrainer.Files;
using MnistTrainer.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace MnistTrainer.Web;

/// <summary>
/// The web server of <c>serve</c>: the drawing page and its JSON API on one model. Every answer is JSON
/// (or the page); a failure is <c>{"error": "one line"}</c>, never a stack trace.
/// </summary>
public static class DrawingServer
{
    public const long MaxBodyBytes = 5 * 1024 * 1024;
    public static readonly IReadOnlyList<string> ImageTypes = ["image/png", "image/jpeg", "image/webp", "image/bmp", "image/gif"];

    // The same fields and numbers as predict --json (a diverged model's losses are NaN and still shown).
    static readonly JsonSerializerOptions Json = JsonPolicy.Options;
    static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DrawingServer).Assembly.GetManifestResourceStream("MnistTrainer.Web.index.html")!;
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    });

    /// <summary>
    /// Starts the server on <paramref name="address"/>:<paramref name="port"/> (0: a free port) and returns
    /// it running; its <c>Urls</c> say where. Unexpected failures are reported to <paramref name="internalError"/>.
    /// </summary>
    public static async Task<WebApplication> StartAsync(ServedModel model, IPAddress address, int port,
        Action<Exception> internalError, CancellationToken cancel)
    {
        // The empty builder: no configuration files, environment-variable overrides or console logging,
        // only Kestrel and routing, so that what serve prints and where it listens is all said here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(address, port);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();

        app.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                internalError(e);
                await Error(context, StatusCodes.Status500InternalServerError, "internal error (details in the console where serve runs)");
            }
        });
        app.MapGet("/", context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.Body.WriteAsync(Page.Value).AsTask();
        });
        app.MapGet("/healthz", context => context.Response.WriteAsync("ok"));
        app.MapGet("/api/model", context => context.Response.WriteAsJsonAsync(new
        {
            Model = model.Path,
            Dataset = model.Dataset.Name,
            DatasetName = model.Dataset.DisplayName,
            model.Metadata.ClassNames,
            model.Metadata.Architecture,
            model.Metadata.LayerSizes,
            model.Metadata.Training,
            TestImages = model.TestImageCount,
        }, Json));
        app.MapPost("/api/predict", context => Predict(context, model));
        app.MapGet("/api/test-image", context => TestImage(context, model));
        app.MapFallback("{*path}", context => Error(context, StatusCodes.Status404NotFound, $"nothing at {context.Request.Path}"));

        await app.StartAsync(cancel);
        return app;
    }

    static async Task Predict(HttpContext context, ServedModel model)
    {
        var type = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        if (type == null || !ImageTypes.Contains(type))
        {
            await Error(context, StatusCodes.Status415UnsupportedMediaType,
                $"send the image as the request body with Content-Type {string.Join(", ", ImageTypes)} (got {type ?? "none"})");
            return;
        }
        var body = new MemoryStream();
        try
        {
            // A declared length over the limit is refused before reading (a client that sent
            // "Expect: 100-continue" then sends nothing); Kestrel stops a longer chunked body at the limit.
            if (context.Request.ContentLength > MaxBodyBytes) throw new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge);
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await Error(context, e.StatusCode, $"image is larger than {MaxBodyBytes / 1024 / 1024} MB");
            return;
        }
        ServedPrediction answer;
        try { answer = model.Classify(body.ToArray()); }
        catch (ImageFileException e)
        {
            await Error(context, StatusCodes.Status400BadRequest, e.Message);
            return;
        }
        await context.Response.WriteAsJsonAsync(answer, Json);
    }

    /// <summary>Test image <c>?index=N</c>, or a random one without it.</summary>
    static async Task TestImage(HttpContext context, ServedModel model)
    {
        if (model.TestImageCount is not int count)
        {
            await Error(context, StatusCodes.Status404NotFound,
                $"the {model.Dataset.DisplayName} test files were not found when serve started (give their folder with --data-dir)");
            return;
        }
        string? given = context.Request.Query["index"];
        int index = Random.Shared.Next(count);
        if (given != null && (!int.TryParse(given, out index) || index < 0 || index >= count))
        {
            await Error(context, StatusCodes.Status400BadRequest,
                $"index {given} is out of range: the {model.Dataset.DisplayName} test set has {count:N0} images (0 to {count - 1:N0})");
            return;
        }
        await context.Response.WriteAsJsonAsync(model.ClassifyTestImage(index), Json);
    }

    static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { Error = message }, Json);
    }
}
