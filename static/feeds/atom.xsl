<?xml version="1.0" encoding="utf-8"?>
<!-- The site's Atom feeds as a page a browser shows: the feed's title, how to subscribe, each
     entry with its dates and its citation, and the way back to the site. The feeds name this
     file in an xml-stylesheet instruction; feed readers ignore it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

  <!-- The folder the static files are served from, read from this feed's own instruction
       (href=".../feeds/atom.xsl"), so that the site's stylesheet is found wherever they are. -->
  <xsl:variable name="instruction" select="/processing-instruction('xml-stylesheet')"/>
  <xsl:variable name="static" select="substring-before(substring-after($instruction, 'href=&quot;'), 'feeds/')"/>
  <xsl:variable name="self" select="/atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template match="/">
    <html lang="{/atom:feed/@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:feed/atom:title"/> · Atom feed</title>
        <link rel="icon" href="{$static}img/favicon.svg" type="image/svg+xml"/>
        <link rel="stylesheet" href="{$static}css/site.css"/>
        <link rel="stylesheet" href="{$static}css/print.css" media="print"/>
      </head>
      <body class="feed-page">
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
          <div class="wrap header-inner">
            <a class="brand" href="/"><img src="{$static}img/logo.svg" alt="" width="28" height="28"/><span>UNTOC Tracker</span></a>
          </div>
        </header>
        <main id="main" class="wrap" tabindex="-1">
          <xsl:apply-templates select="atom:feed"/>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <ul class="footer-links">
              <li><a href="/">UNTOC Tracker home</a></li>
              <li><a href="/status/">Status table</a></li>
              <li><a href="/changes/">What changed</a></li>
              <li><a href="/alerts/subscribe/">E-mail alerts</a></li>
            </ul>
          </div>
        </footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:feed">
    <h1><xsl:value-of select="atom:title"/></h1>
    <p class="lede"><xsl:value-of select="atom:subtitle"/></p>
    <div class="notice feed-subscribe">
      <p><strong>This is an Atom feed.</strong> To follow it, give its address to a feed reader:</p>
      <p><a class="feed-address" href="{$self}"><xsl:value-of select="$self"/></a></p>
      <p>Or <a href="/alerts/subscribe/">receive the changes by e-mail</a>.
        <xsl:if test="atom:link[@rel='alternate']"> The same data on the site: <a href="{atom:link[@rel='alternate']/@href}">the page this feed follows</a>.</xsl:if></p>
      <p class="hint">Updated <xsl:call-template name="day"><xsl:with-param name="when" select="atom:updated"/></xsl:call-template>; the latest <xsl:value-of select="count(atom:entry)"/> entries, newest first.</p>
    </div>
    <xsl:choose>
      <xsl:when test="atom:entry">
        <ol class="feed-entries">
          <xsl:apply-templates select="atom:entry"/>
        </ol>
      </xsl:when>
      <xsl:otherwise><p>No entry yet.</p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li class="feed-entry">
      <h2 class="feed-entry-title"><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <p class="hint">
        <xsl:if test="atom:published">Dated <time datetime="{substring(atom:published, 1, 10)}"><xsl:call-template name="day"><xsl:with-param name="when" select="atom:published"/></xsl:call-template></time></xsl:if>
        <xsl:if test="atom:updated and substring(atom:updated, 1, 10) != substring(atom:published, 1, 10)"><xsl:if test="atom:published">; </xsl:if>recorded or changed <time datetime="{substring(atom:updated, 1, 10)}"><xsl:call-template name="day"><xsl:with-param name="when" select="atom:updated"/></xsl:call-template></time></xsl:if>
      </p>
      <p class="feed-entry-summary"><xsl:value-of select="atom:summary"/></p>
    </li>
  </xsl:template>

  <!-- 2006-07-14T00:00:00+02:00 as 14 July 2006 -->
  <xsl:template name="day">
    <xsl:param name="when"/>
    <xsl:value-of select="number(substring($when, 9, 2))"/>
    <xsl:text> </xsl:text>
    <xsl:value-of select="substring-before(substring-after('|01January|02February|03March|04April|05May|06June|07July|08August|09September|10October|11November|12December|', concat('|', substring($when, 6, 2))), '|')"/>
    <xsl:text> </xsl:text>
    <xsl:value-of select="substring($when, 1, 4)"/>
  </xsl:template>
</xsl:stylesheet>
