// A task's edge in the delegation graph: drawn along the route the layered layout gave it (between the
// columns, never through a node), its label in the box the layout kept free for it: the title line, and
// under it the token use of the task and its subtasks once known (issue 13 #6).
import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { Box, Point } from '../graph/layered.js';

export type TaskEdgeData = { points?: Point[]; labelBox?: Box; status: string; usage?: string };

/** Room around the label's text (px), as React Flow's own labels have. */
const PAD_X = 6;
const PAD_Y = 3;

/**
 * An edge label of one or two lines, centred on (x, y), on a background fitted to the text. React Flow's
 * own label is one SVG line; this keeps its class names (styles, tests) and adds the usage line.
 */
function EdgeLabel({ x, y, label, usage }: { x: number; y: number; label: ReactNode; usage?: string }) {
  const text = useRef<SVGTextElement>(null);
  const [box, setBox] = useState<{ x: number; y: number; width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const measured = text.current?.getBBox();
    if (measured) setBox({ x: measured.x, y: measured.y, width: measured.width, height: measured.height });
  }, [label, usage]);
  if (!label) return null;
  // Two lines sit 7 px above and below the centre; one line on it.
  const first = usage ? -7 : 0;
  return (
    <g
      className="react-flow__edge-textwrapper"
      transform={`translate(${x} ${y})`}
      visibility={box ? 'visible' : 'hidden'}
    >
      {box ? (
        <rect
          className="react-flow__edge-textbg"
          x={box.x - PAD_X}
          y={box.y - PAD_Y}
          width={box.width + 2 * PAD_X}
          height={box.height + 2 * PAD_Y}
          rx={4}
          ry={4}
        />
      ) : null}
      <text ref={text} className="react-flow__edge-text" textAnchor="middle">
        <tspan x={0} y={first} dy="0.35em">
          {label}
        </tspan>
        {usage ? (
          <tspan className="edge-usage" data-testid="edge-usage" x={0} y={7} dy="0.35em">
            {usage}
          </tspan>
        ) : null}
      </text>
    </g>
  );
}

/** Smooth through the points, leaving and entering each one level (no overshoot past a column). */
export function routePath(points: Point[]): string {
  let path = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1]!;
    const to = points[i]!;
    const bend = (to.x - from.x) / 2;
    path += ` C ${from.x + bend} ${from.y} ${to.x - bend} ${to.y} ${to.x} ${to.y}`;
  }
  return path;
}

export function TaskEdge(props: EdgeProps<Edge<TaskEdgeData>>) {
  const { data, sourceX, sourceY, targetX, targetY } = props;
  const route = data?.points;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (route && route.length >= 2) {
    // Ends where the nodes are now (a node dragged away takes its end along); the bends stay.
    path = routePath([{ x: sourceX, y: sourceY }, ...route.slice(1, -1), { x: targetX, y: targetY }]);
    labelX = data.labelBox ? data.labelBox.x + data.labelBox.width / 2 : (sourceX + targetX) / 2;
    labelY = data.labelBox ? data.labelBox.y + data.labelBox.height / 2 : (sourceY + targetY) / 2;
  } else {
    [path, labelX, labelY] = getBezierPath(props);
  }
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        style={props.style}
        interactionWidth={props.interactionWidth}
      />
      <EdgeLabel x={labelX} y={labelY} label={props.label} usage={data?.usage} />
    </>
  );
}
