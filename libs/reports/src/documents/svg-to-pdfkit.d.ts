// svg-to-pdfkit 0.1.8 ships no types: the part of its API report-pdf.ts uses.
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    /** The viewport, in points. */
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    /** Which registered font (name or file) draws text of `family`. */
    fontCallback?: (
      family: string,
      bold: boolean,
      italic: boolean,
      fontOptions: { fauxBold: boolean; fauxItalic: boolean },
    ) => string;
    /** What `<image href>` opens; the default opens files from disk. */
    imageCallback?: (link: string) => string;
    /** Called for what could not be drawn, instead of throwing. */
    warningCallback?: (warning: string) => void;
  }

  function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x: number,
    y: number,
    options?: SvgToPdfOptions,
  ): void;

  export = SVGtoPDF;
}
