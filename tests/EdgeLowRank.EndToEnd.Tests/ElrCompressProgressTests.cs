using EdgeLowRank.Compressor.Data;
using EdgeLowRank.Compressor.Tests.Data;

namespace EdgeLowRank.EndToEnd.Tests;

/// <summary>What <c>elr compress</c> prints while it runs, on real data: the UCI digits, small enough for seconds.</summary>
public class ElrCompressProgressTests : TempFiles
{
    [RealDataFact("digits")]
    public void Steps_whose_lambda_the_search_left_at_its_ceiling_are_marked_and_explained()
    {
        Assert.True(RealData.Cache.Contains(DatasetCatalog.Digits), $"the digits are not in the data cache {RealData.Cache.Root}; CI must run scripts/fetch-data.sh first.");
        string reference = PathOf("digits.elr");
        ToolResult trained = Tool.Elr("train", "--dataset", "digits", "--model", "digits-mlp", "--epochs", "5", "--threads", "1", "-o", reference);
        Assert.True(trained.ExitCode == 0, trained.Error);
        // Percentages as elr inspect and elr-run print them, "97.50%": invariant formatting alone gives "97.50 %".
        Assert.Matches(@"test accuracy \d+\.\d\d% \(error \d+\.\d\d%\)", trained.Output);

        // Two LC steps at μ ≈ 1e-3: the rank guard forbids what a 4× target needs, so λ ends at its ceiling (measured: every step).
        ToolResult searched = Tool.Elr("compress", reference, "--dataset", "digits", "--method", "svd", "--target-ratio", "4", "--steps", "2",
            "--threads", "1", "-o", PathOf("searched.elr"));
        // The same λ given by the user is not the search's ceiling.
        ToolResult fixedLambda = Tool.Elr("compress", reference, "--dataset", "digits", "--method", "svd", "--lambda", "1e6", "--steps", "2",
            "--threads", "1", "-o", PathOf("fixed.elr"));

        Assert.True(searched.ExitCode == 0, searched.Error);
        Assert.Contains("classifier fc3 dense, ", searched.Output);   // the header says which layer the default holds
        // Redirected, a long line stays one line (Spectre.Console would wrap it at its assumed width): the header from
        // the network's name to the seed, the summary from the errors to the file written.
        Assert.Matches(@"\ncompressing digits-mlp \([^\n]*, seed 1, 1 thread\n", "\n" + searched.Output);
        Assert.Matches(@"\nreference error \d+\.\d\d%; after reparametrization \d+\.\d\d%; [^\n]*; wrote [^\n]*searched\.elr\n", searched.Output);
        Assert.Matches(@"\nDC\t0\.001\t1E\+06\*\t", searched.Output);
        Assert.Contains("\n* λ at its ceiling: no λ met the budgets at this step, because the rank guard (--max-relative-error)", searched.Output);
        Assert.True(fixedLambda.ExitCode == 0, fixedLambda.Error);
        Assert.Matches(@"\nDC\t0\.001\t1E\+06\t", fixedLambda.Output);
        Assert.DoesNotContain("λ at its ceiling", fixedLambda.Output);
    }
}
