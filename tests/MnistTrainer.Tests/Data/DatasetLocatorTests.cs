using MnistTrainer.Data;

namespace MnistTrainer.Tests.Data;

public sealed class DatasetLocatorTests : IDisposable
{
    readonly TempFolder temp = new();
    readonly LocalHttpServer server = new();
    readonly HttpClient http = new();

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
        temp.Dispose();
    }

    string User => temp["user"];
    string Default => temp["default"];

    /// <summary>Stand-ins for ~/.pytorch and /usr/share/datasets, so the machine's own copies do not count.</summary>
    IEnumerable<string> MachineFolders(DatasetInfo dataset) =>
        [Path.Combine(temp["torch"], dataset.TorchvisionFolder, "raw"), Path.Combine(temp["system"], dataset.Name)];

    DatasetLocator Locator(string? userDataDir, DatasetDownloader? downloader = null) => new(userDataDir, Default, downloader, MachineFolders);

    /// <summary>Puts the four files (empty: the locator does not read them) in <paramref name="folder"/>.</summary>
    static string Complete(string folder, bool plain = false)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in DatasetInfo.Files)
            File.WriteAllBytes(Path.Combine(folder, plain ? Path.GetFileNameWithoutExtension(file) : file), []);
        return folder;
    }

    [Fact]
    public void LooksInTheUserFolderThenTheDefaultFolderThenTheMachineFolders()
    {
        string[] order =
        [
            User, Path.Combine(User, "mnist"), Path.Combine(User, "MNIST", "raw"),
            Path.Combine(Default, "mnist"),
            Path.Combine(temp["torch"], "MNIST", "raw"), Path.Combine(temp["system"], "mnist"),
        ];
        Assert.Equal(order, Locator(User).Candidates(DatasetInfo.Mnist));

        foreach (var folder in order) Complete(folder);
        foreach (var folder in order)
        {
            Assert.Equal(folder, Locator(User).Locate(DatasetInfo.Mnist).Folder);
            // A folder missing one file does not count, so the next one is found.
            File.Delete(Path.Combine(folder, DatasetInfo.TestLabelsFile));
        }
    }

    [Fact]
    public void WithoutAUserFolderStartsAtTheDefaultFolder()
    {
        Assert.Equal(
            [Path.Combine(Default, "fashion-mnist"), Path.Combine(temp["torch"], "FashionMNIST", "raw"), Path.Combine(temp["system"], "fashion-mnist")],
            Locator(null).Candidates(DatasetInfo.FashionMnist));
    }

    [Fact]
    public void AcceptsPlainFilesAndPrefersGzippedOnes()
    {
        var folder = Complete(Path.Combine(Default, "mnist"), plain: true);
        File.WriteAllBytes(Path.Combine(folder, DatasetInfo.TrainImagesFile), []);

        var paths = Locator(null).Locate(DatasetInfo.Mnist);

        Assert.Equal(Path.Combine(folder, "train-images-idx3-ubyte.gz"), paths.TrainImages);
        Assert.Equal(Path.Combine(folder, "train-labels-idx1-ubyte"), paths.TrainLabels);
        Assert.Equal(Path.Combine(folder, "t10k-images-idx3-ubyte"), paths.TestImages);
        Assert.Equal(Path.Combine(folder, "t10k-labels-idx1-ubyte"), paths.TestLabels);
    }

    [Fact]
    public void WithDownloadingOffTheErrorListsThePlacesLookedAtAndWhereTheFilesGo()
    {
        var locator = Locator(User);

        var e = Assert.Throws<DatasetNotFoundException>(() => locator.Locate(DatasetInfo.Mnist));

        Assert.Equal(DatasetInfo.Mnist, e.Dataset);
        Assert.Equal(locator.Candidates(DatasetInfo.Mnist), e.FoldersLookedIn);
        Assert.Null(e.DownloadFailure);
        Assert.Equal(Path.Combine(User, "mnist"), e.DownloadFolder);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WhenMnistIsMissingTheErrorSaysWhetherFashionMnistIsHere(bool fashionInstalled)
    {
        if (fashionInstalled) Complete(Path.Combine(temp["system"], "fashion-mnist"));

        var e = Assert.Throws<DatasetNotFoundException>(() => Locator(null).Locate(DatasetInfo.Mnist));

        Assert.Equal(fashionInstalled ? DatasetInfo.FashionMnist : null, e.AlternativeOnThisMachine);
    }

    [Fact]
    public void WhenFashionMnistIsMissingTheErrorDoesNotOfferItself()
    {
        var e = Assert.Throws<DatasetNotFoundException>(() => Locator(null).Locate(DatasetInfo.FashionMnist));

        Assert.Equal(DatasetInfo.FashionMnist, e.Dataset);
        Assert.Null(e.AlternativeOnThisMachine);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DownloadsIntoTheUserOrDefaultFolderWhenNothingHasTheFiles(bool withUserFolder)
    {
        var dataset = ServeValidDataset();

        var paths = Locator(withUserFolder ? User : null, new DatasetDownloader(http)).Locate(dataset);

        Assert.Equal(Path.Combine(withUserFolder ? User : Default, "mnist"), paths.Folder);
        var test = DatasetFiles.Load(paths.TestImages, paths.TestLabels, dataset.ClassCount);
        Assert.Equal([7, 2, 1], test.Labels);
    }

    [Fact]
    public void WhenTheDownloadFailsTheMessageSaysWhereAndWhy()
    {
        var dataset = DatasetInfo.Mnist with { Mirrors = [server.BaseUrl + "nothing-here/"] };

        var e = Assert.Throws<DatasetNotFoundException>(() => Locator(User, new DatasetDownloader(http)).Locate(dataset));

        Assert.StartsWith($"could not download {DatasetInfo.TrainImagesFile}", e.DownloadFailure);
        Assert.Contains($"{server.BaseUrl}nothing-here/{DatasetInfo.TrainImagesFile}: HTTP 404", e.DownloadFailure);
    }

    /// <summary>Serves a small valid dataset under <c>mnist/</c> and returns MNIST pointed at it, with matching MD5s.</summary>
    DatasetInfo ServeValidDataset()
    {
        var contents = new Dictionary<string, byte[]>
        {
            [DatasetInfo.TrainImagesFile] = Idx.Gzip(Idx.Images(5)),
            [DatasetInfo.TrainLabelsFile] = Idx.Gzip(Idx.Labels(5, 0, 4, 1, 9)),
            [DatasetInfo.TestImagesFile] = Idx.Gzip(Idx.Images(3)),
            [DatasetInfo.TestLabelsFile] = Idx.Gzip(Idx.Labels(7, 2, 1)),
        };
        foreach (var (file, bytes) in contents) server.Serve("mnist/" + file, HttpReply.Ok(bytes));
        return DatasetInfo.Mnist with
        {
            Mirrors = [server.BaseUrl + "mnist/"],
            KnownFiles = Served.KnownFiles(contents),
        };
    }
}
