// Generates the sample images in this folder. Run from the repository root:  jshell dataset/generate.jsh
// Everything here is drawn by this script: no third-party content. Licence: CC0-1.0.
import java.awt.*;
import java.awt.geom.*;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.*;
import javax.imageio.stream.*;

void jpeg(BufferedImage image, String name) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.9f);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(new File("dataset/" + name))) {
        out.setByteOrder(java.nio.ByteOrder.BIG_ENDIAN);
        writer.setOutput(out);
        writer.write(null, new IIOImage(image, null, null), param);
    }
    writer.dispose();
}

void png(BufferedImage image, String name) throws Exception {
    ImageIO.write(image, "png", new File("dataset/" + name));
}

// A scene with sky, hills, a sun and fine stripes: enough detail to see resampling quality in a thumbnail.
BufferedImage scene(int w, int h, long seed) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 180), 0, h * 0.6f, new Color(250, 200, 150)));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(255, 230, 120));
    int r = Math.min(w, h) / 8;
    g.fillOval(w * 2 / 3, h / 6, r, r);
    java.util.Random random = new java.util.Random(seed);
    for (int layer = 0; layer < 3; layer++) {
        Path2D hills = new Path2D.Double();
        hills.moveTo(0, h);
        double base = h * (0.55 + 0.12 * layer);
        for (int x = 0; x <= w; x += Math.max(1, w / 60)) {
            hills.lineTo(x, base + Math.sin(x * 0.01 + layer + random.nextDouble() * 0.2) * h * 0.06);
        }
        hills.lineTo(w, h);
        hills.closePath();
        g.setColor(new Color(30 + 30 * layer, 110 - 20 * layer, 50 + 10 * layer));
        g.fill(hills);
    }
    g.setColor(new Color(90, 60, 40));
    for (int x = 0; x < w; x += 6) {
        g.drawLine(x, h - h / 12, x + 3, h);
    }
    g.dispose();
    return image;
}

// A {7,3}-flavoured pattern in a disc, after the old service's sample "Square on hyperbolic plane".
BufferedImage disc(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double cx = w / 2.0, cy = h / 2.0, radius = Math.min(w, h) / 2.0 - 4;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            double u = (x - cx) / radius, v = (y - cy) / radius, d = u * u + v * v;
            if (d >= 1) { image.setRGB(x, y, 0xFFFFFF); continue; }
            double k = 2 / (1 - d);
            double a = Math.floor(u * k * 3) + Math.floor(v * k * 3);
            boolean dark = ((long) a & 1) == 0;
            int shade = (int) (255 * (1 - d * 0.6));
            image.setRGB(x, y, dark ? (shade / 3) << 16 | (shade / 2) << 8 | shade : shade << 16 | shade << 8 | shade / 2);
        }
    }
    return image;
}

BufferedImage transparent(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setClip(new Ellipse2D.Double(w * 0.05, h * 0.05, w * 0.9, h * 0.9));
    g.drawImage(scene(w, h, 7), 0, 0, null);
    g.dispose();
    return image;
}

png(disc(613, 624), "hyperbolic_square_613x624.png");
jpeg(scene(1920, 1280, 1), "landscape_1920x1280.jpg");
jpeg(scene(1000, 1500, 2), "portrait_1000x1500.jpg");
jpeg(scene(3000, 300, 3), "panorama_3000x300.jpg");
png(scene(64, 48, 4), "small_64x48.png");
png(transparent(600, 400), "transparent_600x400.png");
/exit
