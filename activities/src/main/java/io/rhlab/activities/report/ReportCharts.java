package io.rhlab.activities.report;

import io.rhlab.workflows.activities.KnockoutCurve;
import io.rhlab.workflows.activities.ScoredHead;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The report's charts, drawn with XChart as PNG bytes (headless AWT, no display needed). */
final class ReportCharts {
  private static final int WIDTH = 560;
  private static final int HEIGHT = 340;

  private ReportCharts() {}

  /** Accuracy against K: the top-K retrieval heads knocked out, and K random heads (min..max bars). */
  static byte[] knockout(String variant, KnockoutCurve curve) throws IOException {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title(variant + ": knockout").xAxisTitle("heads knocked out (K)").yAxisTitle("accuracy").build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setLegendPosition(LegendPosition.InsideNE);
    List<Double> k = new ArrayList<>(List.of(0.0));
    List<Double> top = new ArrayList<>(List.of(curve.baseline()));
    List<Double> random = new ArrayList<>(List.of(curve.baseline()));
    List<Double> spread = new ArrayList<>(List.of(0.0));
    for (KnockoutCurve.Point p : curve.points()) {
      k.add((double) p.k());
      top.add(p.top());
      random.add(p.randomMean());
      spread.add((p.randomMax() - p.randomMin()) / 2);
    }
    chart.addSeries("top-K retrieval heads", k, top).setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    chart.addSeries("K random heads (mean, range)", k, random, spread);
    return png(chart);
  }

  /** Retrieval score of every head, layer by head. */
  static byte[] headScores(String variant, List<ScoredHead> heads) throws IOException {
    int layers = heads.stream().mapToInt(ScoredHead::layer).max().orElse(0) + 1;
    int perLayer = heads.stream().mapToInt(ScoredHead::head).max().orElse(0) + 1;
    HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
        .title(variant + ": retrieval score").xAxisTitle("head").yAxisTitle("layer").build();
    chart.getStyler().setShowValue(true).setLegendPosition(LegendPosition.OutsideE);
    List<Integer> x = new ArrayList<>();
    for (int h = 0; h < perLayer; h++) {
      x.add(h);
    }
    List<Integer> y = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      y.add(l);
    }
    List<Number[]> cells = new ArrayList<>();
    for (ScoredHead h : heads) {
      cells.add(new Number[] {h.head(), h.layer(), Math.round(h.score() * 100) / 100.0});
    }
    chart.addSeries("score", x, y, cells).setMin(0).setMax(Math.max(1.0, maxScore(heads)));
    return png(chart);
  }

  /** Recall of the reference's heads against the downstream score, one point per variant. */
  static byte[] recallVersusDownstream(List<String> names, List<Double> recall, List<Double> downstream)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("recall vs downstream").xAxisTitle("recall of the reference's heads")
        .yAxisTitle("downstream accuracy").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter)
        .setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0)
        .setLegendPosition(LegendPosition.InsideSE);
    for (int i = 0; i < names.size(); i++) {
      if (recall.get(i) != null) {
        chart.addSeries(names.get(i), List.of(recall.get(i)), List.of(downstream.get(i)));
      }
    }
    return png(chart);
  }

  private static double maxScore(List<ScoredHead> heads) {
    return heads.stream().mapToDouble(ScoredHead::score).max().orElse(0);
  }

  private static byte[] png(Chart<?, ?> chart) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
  }
}
